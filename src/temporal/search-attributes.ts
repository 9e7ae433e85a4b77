import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes set on every run so operators can filter runs in the Temporal UI.
 * They are indexed and unencrypted: ids, codes and times only, never personal data.
 */
export const MallIdKey = defineSearchAttributeKey('MallId', SearchAttributeType.KEYWORD);
export const CstCdKey = defineSearchAttributeKey('CstCd', SearchAttributeType.KEYWORD);
export const TriggerKey = defineSearchAttributeKey('Trigger', SearchAttributeType.KEYWORD);
export const SlotAtKey = defineSearchAttributeKey('SlotAt', SearchAttributeType.DATETIME);

/** Set by the server on runs started by a schedule: the nominal (pre-jitter) slot time. */
export const TemporalScheduledStartTimeKey = defineSearchAttributeKey(
  'TemporalScheduledStartTime',
  SearchAttributeType.DATETIME,
);

/** Every custom attribute the namespace must have registered. */
export const customSearchAttributes = [MallIdKey, CstCdKey, TriggerKey, SlotAtKey] as const;
