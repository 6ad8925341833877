import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Small pieces every JSON route of the server shares. Every error leaves as
 * `{error: {code, message, field?}}` with a 4xx/5xx status; nothing a client sends can throw past a route.
 */

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
    /** More of the error object's fields (e.g. a refused claim's `reasons`). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const DEFAULT_BODY_LIMIT = 64 * 1024;

const BASE_HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  // Answers carry tokens and account data: never cached, never sniffed as something else.
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...BASE_HEADERS, 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, error: HttpError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const field = error.field === undefined ? {} : { field: error.field };
  sendJson(res, error.status, { error: { ...error.extra, code: error.code, message: error.message, ...field } }, error.headers);
}

/** Anything thrown that is not an HttpError is a bug on our side: log it, tell the client only that. */
/** Errors behind 500 answers, for the request's log line (server.ts) to carry. */
const unexpected = new WeakMap<ServerResponse, unknown>();
export const unexpectedErrorOf = (res: ServerResponse): unknown => unexpected.get(res);

export function sendUnexpected(res: ServerResponse, error: unknown): void {
  unexpected.set(res, error);
  sendError(res, new HttpError(500, 'internal', 'Internal server error'));
}

export function methodNotAllowed(allowed: readonly string[]): HttpError {
  return new HttpError(405, 'method_not_allowed', `Use ${allowed.join(' or ')}`, undefined, {
    Allow: allowed.join(', '),
  });
}

/** The token from `Authorization: Bearer <token>`, or null when the header is missing or another scheme. */
export function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer[ ]+([^\s]+)[ ]*$/i.exec(header);
  return match ? match[1]! : null;
}

/** The address of the connected peer (proxies are not trusted: no X-Forwarded-For). */
export const clientIp = (req: IncomingMessage): string => req.socket.remoteAddress ?? '';

/** The path of a request, undecoded, without query string; null for a target that is not a path. */
export function requestPath(req: IncomingMessage): string | null {
  const target = req.url ?? '';
  if (!target.startsWith('/')) return null;
  const end = target.search(/[?#]/);
  return end === -1 ? target : target.slice(0, end);
}

/**
 * Reads a JSON request body: `application/json` (charset utf-8 if given) or 415, at most `limitBytes` or
 * 413, parseable or 400 with the parser's reason. An empty body is 400 too.
 */
export async function readJsonBody(
  req: IncomingMessage,
  { limitBytes = DEFAULT_BODY_LIMIT }: { limitBytes?: number } = {},
): Promise<unknown> {
  const contentType = req.headers['content-type'] ?? '';
  const [mediaType, ...params] = contentType.split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json') {
    throw new HttpError(415, 'unsupported_media_type', 'Send the body as application/json');
  }
  const charset = params.find((param) => param.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new HttpError(415, 'unsupported_media_type', 'JSON bodies must be UTF-8');
  }
  const tooLarge = () =>
    new HttpError(413, 'payload_too_large', `Request body is larger than ${limitBytes} bytes`, undefined, {
      // The rest of the body is not read: the connection cannot be reused.
      Connection: 'close',
    });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge();

  const body = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let overflowed = false;
    // Not for-await: leaving that loop early destroys the socket before the 413 can be sent. Past the limit
    // the rest is read and dropped; the Connection: close answer ends it.
    req.on('data', (chunk: Buffer) => {
      if (overflowed) return;
      size += chunk.length;
      if (size <= limitBytes) {
        chunks.push(chunk);
        return;
      }
      overflowed = true;
      chunks.length = 0;
      reject(tooLarge());
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new HttpError(400, 'bad_json', 'Request body is not valid UTF-8');
  }
  if (text.trim() === '') throw new HttpError(400, 'bad_json', 'Request body is empty; send a JSON object');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HttpError(400, 'bad_json', `Request body is not valid JSON: ${reason}`);
  }
}
