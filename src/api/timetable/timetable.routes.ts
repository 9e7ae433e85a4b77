import { createRoute, z } from '@hono/zod-openapi';
import { kstTimeZone } from '../../domain/kst.js';
import { defaultTimetable, slotTimePattern } from '../../domain/timetable.js';
import { requireApiKey } from '../lib/auth.js';
import { problemResponseSpec } from '../lib/problem.js';
import { adminOnlyResponse, unauthorizedResponse } from '../lib/route-specs.js';

const slotList = (example: readonly string[]) =>
  z
    .array(z.string().regex(slotTimePattern, 'expected a time HH:MM (00:00-23:59)'))
    .max(24 * 60)
    .superRefine((times, ctx) => {
      times.forEach((time, index) => {
        if (times.indexOf(time) !== index) ctx.addIssue({ code: 'custom', path: [index], message: `${time} is listed twice` });
      });
    })
    .openapi({ example: [...example], uniqueItems: true });

export const TimetableSlotsSchema = z
  .strictObject({
    business: slotList(defaultTimetable.business).openapi({ description: '영업일 (Mon–Fri, not a public holiday)' }),
    saturday: slotList(defaultTimetable.saturday).openapi({ description: '토요일' }),
    sunday_holiday: slotList(defaultTimetable.sunday_holiday).openapi({ description: '일요일·공휴일' }),
  })
  .openapi('TimetableSlots', { description: `Slot times per day type, HH:MM in ${kstTimeZone}.` });

const SyncCountsSchema = z
  .object({ synced: z.number().int(), pending: z.number().int() })
  .openapi('ScheduleSyncCounts', { description: 'Mall links whose schedules were reconciled now, and those left pending (Temporal unreachable).' });

export const TimetableSchema = z
  .object({
    version: z.number().int().openapi({ example: 2 }),
    timezone: z.literal(kstTimeZone),
    createdAt: z.string().openapi({ example: '2026-11-30T04:30:00.000Z' }),
    slots: TimetableSlotsSchema,
  })
  .openapi('Timetable');

export const getTimetable = createRoute({
  method: 'get',
  path: '/v1/timetable',
  tags: ['Timetable'],
  summary: '주문 연동 시각: the timetable in force',
  middleware: requireApiKey,
  security: [{ apiKey: [] }],
  responses: {
    200: { description: 'The latest version', content: { 'application/json': { schema: TimetableSchema } } },
    401: unauthorizedResponse,
  },
});

export const putTimetable = createRoute({
  method: 'put',
  path: '/v1/timetable',
  tags: ['Timetable'],
  summary: 'Replace the timetable (admin): a new version, applied to every schedule',
  middleware: requireApiKey,
  security: [{ apiKey: [] }],
  request: { body: { required: true, content: { 'application/json': { schema: z.strictObject({ slots: TimetableSlotsSchema }) } } } },
  responses: {
    200: {
      description: 'The new version; `schedules` says how many links were reconciled now and how many are pending',
      content: { 'application/json': { schema: TimetableSchema.extend({ schedules: SyncCountsSchema }) } },
    },
    401: unauthorizedResponse,
    403: adminOnlyResponse,
    422: problemResponseSpec('A time is not HH:MM, is listed twice, or a day type is missing'),
  },
});

export { SyncCountsSchema };
