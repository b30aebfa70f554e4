import { defineSearchAttributeKey } from '@temporalio/common';

/**
 * Custom search attributes of a migration run. They make lists visibility queries, and hold
 * no personal data: a customer id is an opaque slug, phase and status are enumerations.
 */
export const CUSTOMER_ID = defineSearchAttributeKey('PasserelleCustomerId', 'KEYWORD');
export const PHASE = defineSearchAttributeKey('PasserellePhase', 'KEYWORD');
export const RUN_STATUS = defineSearchAttributeKey('PasserelleStatus', 'KEYWORD');
export const NEEDS_ATTENTION = defineSearchAttributeKey('PasserelleNeedsAttention', 'BOOL');
/** The operations (domain/run.ts, STEP_OPERATIONS) of the steps that failed and wait for an operator: what fleet operations select by. */
export const FAILED_OPERATIONS = defineSearchAttributeKey('PasserelleFailedOperations', 'KEYWORD_LIST');

/** The same attributes as the CLI's `--search-attribute NAME=Type` registration expects them (`type`: as the operator API's registration names it). */
export const SEARCH_ATTRIBUTE_REGISTRATIONS = [
  { name: CUSTOMER_ID.name, cliType: 'Keyword', type: CUSTOMER_ID.type },
  { name: PHASE.name, cliType: 'Keyword', type: PHASE.type },
  { name: RUN_STATUS.name, cliType: 'Keyword', type: RUN_STATUS.type },
  { name: NEEDS_ATTENTION.name, cliType: 'Bool', type: NEEDS_ATTENTION.type },
  { name: FAILED_OPERATIONS.name, cliType: 'KeywordList', type: FAILED_OPERATIONS.type },
] as const;
