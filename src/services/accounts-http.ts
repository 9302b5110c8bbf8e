// The account services (passwords, sessions, API keys, member removal) bound to their dependencies for the HTTP layer.
import type { AccountServices } from '../http/routes/account-services.ts';
import {
  changePassword,
  endSession,
  findSessionVersionOf,
  isSessionCurrent,
  isUuid,
  issueApiKey,
  listApiKeys,
  revokeApiKey,
} from './auth.ts';
import type { ServiceDeps } from './deps.ts';
import { ServiceError } from './errors.ts';
import { toActorRef } from './http-services.ts';
import { removeMember } from './member-removal.ts';

export function createAccountServices(deps: ServiceDeps): AccountServices {
  const noAccount = () => new ServiceError('not_found', 'no such account');
  return {
    findSessionVersion: (userId) => findSessionVersionOf(deps, userId),
    isSessionCurrent: (userId, version, sessionId) => isSessionCurrent(deps, userId, version, sessionId),
    endSession: (sessionId, until) => endSession(deps, sessionId, until),
    changePassword: (userId, input) => changePassword(deps, userId, input),
    listApiKeys: (accountId) =>
      isUuid(accountId) ? listApiKeys(deps, accountId) : Promise.reject(noAccount()),
    createApiKey: (accountId, input, actor) =>
      isUuid(accountId)
        ? issueApiKey(deps, accountId, input, toActorRef(actor))
        : Promise.reject(noAccount()),
    revokeApiKey: (accountId, keyId, actor) => revokeApiKey(deps, accountId, keyId, toActorRef(actor)),
    removeMember: (accountId, userId, actor) => removeMember(deps, accountId, userId, toActorRef(actor)),
  };
}
