// The domain services: use cases over the database, each taking its dependencies as an argument.
export type { ServiceDeps, ActorRef } from './deps.ts';
export { ServiceError } from './errors.ts';
export { ingestLead, ingestLeads, findMainSignal } from './ingest.ts';
export type { IngestInput, IngestOutput } from './ingest.ts';
export { createIngestBatcher } from './ingest-batcher.ts';
export type { IngestBatcher, IngestBatcherOptions } from './ingest-batcher.ts';
export {
  markSpam,
  markNotSpam,
  undoTrainingMark,
  blockEmailFromActivity,
  blockDomainFromActivity,
  deleteActivity,
} from './review.ts';
export { purgeExpiredQuarantine, purgeExpiredNonces, purgeDeletedContent } from './retention.ts';
export { listLeads, getLead, getContact, countQuarantine } from './leads.ts';
export { listItems, createItem, updateItem, deleteItem, normalizeRuleValue } from './lists.ts';
export { cloneRules } from './clone-rules.ts';
export type { CloneSummary } from './clone-rules.ts';
export {
  createOrganization,
  createAccount,
  createForm,
  createUser,
  addMembership,
  addOrganizationAdmin,
  createFirstOwner,
  needsSetup,
} from './accounts.ts';
export { authorize, verifyLogin, createApiKey, verifyApiKey, getMe } from './auth.ts';
export { getReport } from './reports.ts';
export { tryRule } from './try-rule.ts';
export { reportComment } from './akismet.ts';
export {
  listMembers,
  addMember,
  createSiblingAccount,
  getAllowlistOnly,
  setAllowlistOnly,
} from './members.ts';
export { createDomainServices, toActorRef } from './http-services.ts';
export type { DomainServices, StoredPublicForm } from './http-services.ts';
export { openStorageBackend } from './backend.ts';
export type { StorageBackend } from './backend.ts';
