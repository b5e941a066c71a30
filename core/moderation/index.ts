export { ModerationStore, ownerOf, type DecisionResult, type ModerationDecision, type ModerationItem } from './moderation-store.js';
export { notifySubmitter } from './notify.js';
