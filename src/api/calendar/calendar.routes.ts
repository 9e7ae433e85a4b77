import { createRoute, z } from '@hono/zod-openapi';
import { kstTimeZone } from '../../domain/kst.js';
import { dayTypes } from '../../domain/timetable.js';
import { requireApiKey } from '../lib/auth.js';
import { listPaging, listSchema } from '../lib/list.js';
import { linkTo } from '../lib/links.js';
import { problemResponseSpec } from '../lib/problem.js';
import { adminOnlyResponse, unauthorizedResponse } from '../lib/route-specs.js';
import { SyncCountsSchema } from '../timetable/timetable.routes.js';
import { nonBlankText } from '../lib/text.js';

/** Longest range GET /v1/calendar answers in one call. */
export const maxCalendarDays = 366;

// z.iso.date checks real calendar dates (no 2026-02-30) and says so in the document (format + pattern).
const calendarDate = z.iso.date({ error: 'not a calendar date YYYY-MM-DD' }).openapi({ example: '2026-12-25' });

const OverrideSchema = z
  .object({
    date: z.string().openapi({ example: '2026-12-31' }),
    kind: z.enum(['holiday', 'business_day']),
    note: z.string().openapi({ example: '재고조사 (stocktaking)' }),
    updatedAt: z.string().openapi({ example: '2026-11-30T04:30:00.000Z' }),
  })
  .openapi('CalendarOverride');

const CalendarDaySchema = z
  .object({
    date: z.string().openapi({ example: '2026-12-25' }),
    dayType: z.enum(dayTypes),
    holidayNames: z.array(z.string()).openapi({ example: ['기독탄신일'] }),
    override: z.object({ kind: z.enum(['holiday', 'business_day']), note: z.string() }).nullable(),
    slots: z.array(z.string()).openapi({ example: ['00:10', '09:10', '10:10'], description: `HH:MM, ${kstTimeZone}` }),
  })
  .openapi('CalendarDay');

const security = [{ apiKey: [] }];
const auth = requireApiKey;

export const getCalendar = createRoute({
  method: 'get',
  path: '/v1/calendar',
  tags: ['Timetable'],
  summary: 'Day type and slots of each date (public holidays, substitute holidays and overrides applied)',
  description: `At most ${maxCalendarDays} days per answer; \`nextFrom\` continues a longer range.`,
  middleware: auth,
  security,
  request: {
    query: z.object({
      from: calendarDate,
      to: calendarDate.openapi({ example: '2027-01-03', description: `Last date (inclusive); a \`to\` before \`from\` is an empty range` }),
    }),
  },
  responses: {
    200: {
      description: 'One entry per date, in order',
      content: {
        'application/json': {
          schema: z.object({
            timezone: z.literal(kstTimeZone),
            timetableVersion: z.number().int(),
            days: z.array(CalendarDaySchema),
            nextFrom: z.string().nullable().openapi({
              description: `At most ${maxCalendarDays} days come in one answer: the date to pass as \`from\` for the rest of a longer range; null when \`days\` reaches \`to\``,
              example: null,
            }),
          }),
        },
      },
    },
    401: unauthorizedResponse,
    422: problemResponseSpec('from/to missing or not calendar dates'),
  },
});

/** Overrides by date. */
export const overridePaging = listPaging(calendarDate);

export const listOverrides = createRoute({
  method: 'get',
  path: '/v1/calendar/overrides',
  tags: ['Timetable'],
  summary: 'Calendar overrides (admin)',
  middleware: auth,
  security,
  request: { query: z.object(overridePaging.query) },
  responses: {
    200: { description: 'Overrides, by date', content: { 'application/json': { schema: listSchema('CalendarOverrideList', OverrideSchema) } } },
    401: unauthorizedResponse,
    403: adminOnlyResponse,
    422: problemResponseSpec('Bad cursor or limit'),
  },
});

const dateParam = z.object({ date: calendarDate.openapi({ param: { name: 'date', in: 'path' }, example: '2026-12-31' }) });

export const putOverride = createRoute({
  method: 'put',
  path: '/v1/calendar/overrides/{date}',
  tags: ['Timetable'],
  summary: 'Make a date a holiday or a business day (admin); every schedule is reconciled',
  middleware: auth,
  security,
  request: {
    params: dateParam,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.strictObject({
            kind: z.enum(['holiday', 'business_day']).openapi({ example: 'holiday' }),
            note: nonBlankText(200).openapi({ example: '재고조사 (stocktaking)' }),
          }),
        },
      },
    },
  },
  responses: {
    200: {
      description: 'The stored override',
      content: { 'application/json': { schema: OverrideSchema.extend({ schedules: SyncCountsSchema }) } },
      links: { DeleteOverride: linkTo('delete', '/v1/calendar/overrides/{date}', { date: '$response.body#/date' }, 'Remove the override (the date follows the public calendar again)') },
    },
    401: unauthorizedResponse,
    403: adminOnlyResponse,
    422: problemResponseSpec('Bad date, kind or note'),
  },
});

export const deleteOverride = createRoute({
  method: 'delete',
  path: '/v1/calendar/overrides/{date}',
  tags: ['Timetable'],
  summary: 'Remove an override (admin); every schedule is reconciled',
  middleware: auth,
  security,
  request: { params: dateParam },
  responses: {
    200: { description: 'Removed', content: { 'application/json': { schema: z.object({ date: z.string(), schedules: SyncCountsSchema }) } } },
    401: unauthorizedResponse,
    403: adminOnlyResponse,
    404: problemResponseSpec('No override on that date'),
    422: problemResponseSpec('Bad date'),
  },
});
