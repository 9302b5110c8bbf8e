// The shapes the panel reads from the JSON API, kept in one place so a server change shows up as a type error here.

export type Role = 'owner' | 'admin' | 'contact_admin' | 'member';
export type LeadStatus = 'active' | 'quarantined' | 'deleted';
export type RuleDimension = 'email' | 'domain' | 'phone' | 'area_code' | 'segment';

export interface User {
  readonly id: string;
  readonly email: string;
  readonly name?: string | null;
}

export interface Account {
  readonly id: string;
  readonly name: string;
  readonly organizationId?: string | null;
  readonly organizationName?: string | null;
  readonly role: Role;
}

export interface Organization {
  readonly id: string;
  readonly name: string;
}

export interface Me {
  readonly user: User;
  readonly organizations?: readonly Organization[];
  readonly accounts: readonly Account[];
}

/** An API key as listed: never the key itself, only its first characters. */
export interface ApiKey {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
}

/** The answer to creating a key: the only time the key is shown. */
export interface NewApiKey {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly key: string;
}

export interface SetupStatus {
  readonly needsSetup: boolean;
}

export interface Signal {
  readonly check: string;
  readonly score: number;
  readonly reason: string;
  readonly evidence?: string | null;
}

export interface Verdict {
  readonly score: number;
  readonly outcome: string;
  readonly threshold?: number;
  readonly decidedBy?: string;
  readonly signals: readonly Signal[];
}

export interface LeadSummary {
  readonly id: string;
  readonly status: LeadStatus;
  readonly receivedAt: string;
  readonly name?: string | null;
  readonly email?: string | null;
  readonly phone?: string | null;
  readonly formId?: string | null;
  readonly formName?: string | null;
  readonly contactId?: string | null;
  readonly score?: number | null;
  readonly mainReason?: string | null;
  readonly deleteAt?: string | null;
  readonly channel?: string | null;
}

export interface Delivery {
  readonly id: string;
  readonly kind: string;
  readonly state: string;
  readonly attempts?: number;
  readonly lastError?: string | null;
  readonly updatedAt?: string | null;
}

export interface LeadDetail extends LeadSummary {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly verdict?: Verdict | null;
  readonly deliveries: readonly Delivery[];
  readonly ip?: string | null;
  readonly userAgent?: string | null;
  readonly pageUrl?: string | null;
  readonly referrer?: string | null;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly total?: number;
  /** Counting stopped at `total`: more match. */
  readonly totalCapped?: boolean;
  readonly nextCursor?: string | null;
}

export interface HistoryEvent {
  readonly id: string;
  readonly at: string;
  readonly type: string;
  readonly activityId?: string | null;
  readonly actor?: string | null;
  readonly via?: string | null;
  readonly reason?: string | null;
}

export interface Contact {
  readonly id: string;
  readonly name?: string | null;
  readonly email?: string | null;
  readonly phone?: string | null;
  readonly fields?: Readonly<Record<string, unknown>>;
  readonly activities: readonly LeadSummary[];
  readonly history: readonly HistoryEvent[];
}

export interface Rule {
  readonly id: string;
  readonly action: 'block' | 'allow';
  readonly dimension: RuleDimension;
  readonly value: string;
  readonly note?: string | null;
  readonly hits?: number;
  readonly createdAt?: string;
}

export interface Keyword {
  readonly id: string;
  readonly phrase: string;
  readonly note?: string | null;
  readonly hits?: number;
}

export interface SegmentCondition {
  readonly field: string;
  readonly op: 'is' | 'is_not' | 'in' | 'not_in' | 'contains' | 'exists' | 'missing';
  readonly value?: string | readonly string[];
}

export interface Segment {
  readonly id: string;
  readonly name: string;
  readonly match: 'all' | 'any';
  readonly conditions: readonly SegmentCondition[];
}

export interface CheckSetting {
  readonly enabled?: boolean;
  readonly score?: number;
}

export interface Form {
  readonly id: string;
  readonly name: string;
  readonly publicKey: string;
  readonly siteDomains?: readonly string[];
  readonly honeypotField?: string | null;
  readonly thankYouUrl?: string | null;
  readonly settings?: {
    readonly thresholds?: { readonly quarantine?: number };
    readonly checks?: Readonly<Record<string, CheckSetting>>;
  } | null;
}

export interface CheckInfo {
  readonly name: string;
  readonly description: string;
  readonly defaultScore: number;
}

export interface TryResult {
  readonly caught: number;
  readonly active: number;
  readonly activeLeads: readonly LeadSummary[];
}

export interface CloneSummary {
  readonly created: number;
  readonly skipped: number;
  readonly segmentsCreated?: number;
  readonly perAccount?: readonly {
    accountId: string;
    created: number;
    skipped: number;
    segmentsCreated?: number;
  }[];
}

export interface ReportPoint {
  readonly day: string;
  readonly active: number;
  readonly quarantined: number;
}

export interface Reports {
  readonly overTime: readonly ReportPoint[];
  readonly byForm: readonly { label: string; active: number; quarantined: number }[];
  /** Where leads came from: the API's channel (form, akismet, call, file). */
  readonly bySource: readonly { source: string; active: number; quarantined: number }[];
  readonly reasons: readonly { check: string; count: number }[];
  readonly releaseRate: readonly { check: string; quarantined: number; released: number }[];
}
