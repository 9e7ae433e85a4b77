/** Timestamps in API bodies: ISO 8601 in UTC, whatever the driver returned. */
export const isoTime = (value: Date | string) => new Date(value).toISOString();

export const isoTimeOrNull = (value: Date | string | null) => (value === null ? null : isoTime(value));
