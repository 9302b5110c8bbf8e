// A signed-in panel user as the API sees one: a session cookie and its CSRF token, renewed as the server renews them.
import { expect } from 'vitest';

export interface Agent {
  cookie: string;
  csrf: string;
}

export interface ApiCaller {
  /** Sends one request as the agent (cookie and CSRF token unless told otherwise), keeping a renewed cookie. */
  call(
    agent: Agent | undefined,
    method: string,
    path: string,
    body?: unknown,
    options?: { csrf?: boolean; apiKey?: string },
  ): Promise<Response>;
  /** Signs in through the panel's session routes, as the login page does. */
  signIn(email: string, password: string): Promise<Agent>;
}

/** Calls the server at `base()` (read at each call, so a suite can start its server in beforeAll). */
export function apiCaller(base: () => string): ApiCaller {
  async function call(
    agent: Agent | undefined,
    method: string,
    path: string,
    body?: unknown,
    options: { csrf?: boolean; apiKey?: string } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {};
    if (agent) headers.cookie = agent.cookie;
    if (agent && options.csrf !== false) headers['x-csrf-token'] = agent.csrf;
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${base()}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = response.headers.getSetCookie().find((item) => item.startsWith('leadguard_session='));
    if (set && agent) agent.cookie = set.split(';')[0] ?? '';
    return response;
  }
  async function signIn(email: string, password: string): Promise<Agent> {
    const agent: Agent = { cookie: '', csrf: '' };
    agent.csrf = (await (await call(agent, 'GET', '/api/v1/session')).json()).csrfToken;
    const login = await call(agent, 'POST', '/api/v1/session', { email, password });
    expect(login.status).toBe(200);
    agent.csrf = (await login.json()).csrfToken;
    return agent;
  }
  return { call, signIn };
}
