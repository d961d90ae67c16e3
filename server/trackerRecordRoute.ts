// GET /api/tracker/record?after=<infohash>&limit=<n> → one page of the tracker record (TrackerRecordPage):
// entries in infohash order from a cached snapshot, so serving it costs a slice, never a copy of the record.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError, sendJson } from './sendJson.ts';
import { RECORD_PAGE_DEFAULT, RECORD_PAGE_MAX, type TrackerRecord } from './trackerRecord.ts';

export function createTrackerRecordRoute(
  record: TrackerRecord,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    const after = query.get('after') ?? undefined;
    if (after !== undefined && !/^[0-9a-f]{40}$/.test(after)) {
      sendError(res, 400, `"after" must be an infohash (40 lowercase hex), got ${after.length} characters`);
      return;
    }
    const limitText = query.get('limit');
    const limit = limitText === null ? RECORD_PAGE_DEFAULT : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > RECORD_PAGE_MAX) {
      sendError(
        res,
        400,
        `"limit" must be an integer from 1 to ${RECORD_PAGE_MAX}, got ${limitText!.slice(0, 20)}`,
      );
      return;
    }
    sendJson(res, 200, record.page(after, limit));
  };
}
