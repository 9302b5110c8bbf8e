// What a lifecycle webhook says about a lead, captured inside the transaction that changes it (a deleted lead has nothing left to read).
import type { Db } from '../db/database.ts';
import { loadDeliveryLead } from '../jobs/delivery-reads.ts';
import type { LeadEventInput } from '../jobs/lead-deliveries.ts';
import { leadEventData } from '../jobs/messages.ts';

export async function captureLeadEvent(
  tx: Db,
  accountId: string,
  activityId: string,
  now: Date,
): Promise<LeadEventInput> {
  const loaded = await loadDeliveryLead(tx, accountId, activityId);
  return {
    accountId,
    activityId,
    data: loaded ? leadEventData(loaded.lead) : { leadId: activityId, accountId },
    now,
  };
}
