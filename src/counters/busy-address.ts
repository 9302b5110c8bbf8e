// When an address sends enough leads to go behind everyone else's: read by the intake route and the batcher's lanes.

/**
 * Whether leads from an address sending this many inside the frequency window take the intake's low-priority lane
 * and wait at the door behind other requests: from a tenth of the limit (30 in 5 minutes by default), so a flood's
 * first few hundred leads, fully screened while still under the limit, already go behind legitimate traffic. Only
 * the order of work changes: every lead is still screened as its count says, stored, and answered after its commit.
 */
export function isBusyAddress(ipCount: number, limit: number | undefined): boolean {
  return limit !== undefined && ipCount > Math.max(10, Math.floor(limit / 10));
}
