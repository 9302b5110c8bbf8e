// The engine's vocabulary: a lead as submitted, the facts gathered for it, signals and the verdict.
import type { RenderTokenReading } from './render-token.ts';

/** Where a lead came from. Checks that need something a channel does not carry stay silent for it. */
export type Channel = 'form' | 'akismet' | 'file' | 'call';

/** Contact fields a segment can filter on (country, state, tags, custom fields). */
export type ContactFields = Readonly<Record<string, string | readonly string[] | undefined>>;

/** One lead as it arrives, before any normalisation. Every field is optional: bad input is normal input. */
export interface Lead {
  readonly id?: string;
  readonly channel: Channel;
  readonly name?: string;
  readonly email?: string;
  readonly phone?: string;
  readonly subject?: string;
  readonly message?: string;
  /** Any other submitted fields (free text, vehicle of interest, ...). May be nested; depth is capped. */
  readonly fields?: Readonly<Record<string, unknown>>;
  /** Value of the hidden honeypot field; `undefined` when the channel has no honeypot. */
  readonly honeypot?: string;
  /** The signed render token the embed script fetched; `undefined` when the channel has none. */
  readonly renderToken?: string;
  readonly userAgent?: string;
  readonly referrer?: string;
  readonly pageUrl?: string;
  readonly ip?: string;
  /** Contact fields known for the sender, used by segment rules. */
  readonly contact?: ContactFields;
}

/** Facts that need I/O or a clock, gathered by the caller before screening. */
export interface Facts {
  /** Current time, milliseconds since the epoch. */
  readonly now: number;
  /** Leads from this lead's IP inside the frequency window, this one included. */
  readonly ipCount?: number;
  /** Whether the render token's nonce was already used by an earlier submission. */
  readonly tokenReplayed?: boolean;
  /** The lead's render token as read by the caller (who read it to claim its nonce), so the check need not read it again. */
  readonly renderToken?: RenderTokenReading;
  /** Whether the email domain has mail servers (MX or A), when a DNS answer is known. */
  readonly emailDomainHasMail?: boolean;
  /** How many other senders already sent the same message body (content fingerprint). */
  readonly sameBodyOtherSenders?: number;
  /** Whether the sender is a known contact whose latest lead is in quarantine (looked up by phone for calls). */
  readonly contactQuarantined?: boolean;
}

/** One finding of one check. */
export interface Signal {
  readonly check: string;
  readonly score: number;
  readonly reason: string;
  readonly evidence?: string;
  /** A list decision that overrides the score: block → quarantine, allow → ham. */
  readonly hard?: HardDecision;
}

/** A decision by a block or allow list, ranked by how specific its dimension is. */
export interface HardDecision {
  readonly kind: 'block' | 'allow' | 'allowlist_miss';
  /** Higher wins: an allowed address beats a blocked domain. */
  readonly specificity: number;
}

export type Outcome = 'ham' | 'quarantine';
export type DecidedBy = 'score' | 'block_rule' | 'allow_rule' | 'allowlist_only';

export interface Verdict {
  readonly score: number;
  readonly outcome: Outcome;
  readonly decidedBy: DecidedBy;
  /** The score at or above which a lead is quarantined. */
  readonly threshold: number;
  readonly signals: readonly Signal[];
}
