import { defineSearchAttributeKey } from '@temporalio/common';

/**
 * Custom search attributes of a migration run. They make lists visibility queries, and hold
 * no personal data: a customer id is an opaque slug, phase and status are enumerations.
 */
export const CUSTOMER_ID = defineSearchAttributeKey('PasserelleCustomerId', 'KEYWORD');
export const PHASE = defineSearchAttributeKey('PasserellePhase', 'KEYWORD');
export const RUN_STATUS = defineSearchAttributeKey('PasserelleStatus', 'KEYWORD');
export const NEEDS_ATTENTION = defineSearchAttributeKey('PasserelleNeedsAttention', 'BOOL');

/** The same attributes as the CLI's `--search-attribute NAME=Type` registration expects them. */
export const SEARCH_ATTRIBUTE_REGISTRATIONS = [
  { name: CUSTOMER_ID.name, cliType: 'Keyword' },
  { name: PHASE.name, cliType: 'Keyword' },
  { name: RUN_STATUS.name, cliType: 'Keyword' },
  { name: NEEDS_ATTENTION.name, cliType: 'Bool' },
] as const;
