/**
 * Building request URLs: the configured base URL checked once (credentials in it are taken
 * out, never kept in it), and API paths joined under its path prefix, never replacing it.
 */
import { BackendError, quoteText, redactUrl } from '../errors';
import type { Wording } from './wording';

/** Joins a base URL (which may carry a path prefix) and an API path. */
export function joinUrl(base: URL, path: string): URL {
  const u = new URL(base.toString());
  const prefix = u.pathname.replace(/\/+$/, '');
  u.pathname = `${prefix}/${path.replace(/^\/+/, '')}`;
  u.search = '';
  u.hash = '';
  return u;
}

/** Parses and checks a base URL; credentials in it are returned separately, never kept in it. */
export function parseBaseUrl(raw: string, wording: Wording): { url: URL; user?: string; password?: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new BackendError(
      'bad-request',
      `"${quoteText(redactUrl(raw), [], 100)}" is not a URL; set ${wording.urlSetting} to something like http://127.0.0.1:3200`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BackendError(
      'bad-request',
      `${wording.urlSetting} must be an http:// or https:// URL, not ${url.protocol}`,
      { url: redactUrl(url) },
    );
  }
  const user = url.username ? decodeURIComponent(url.username) : undefined;
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  return { url, ...(user !== undefined ? { user } : {}), ...(password !== undefined ? { password } : {}) };
}

/** Where a request goes, before redirects. */
export interface UrlSpec {
  /** Path below the base URL, e.g. `/api/search`. Joined to the base path, never replacing it. */
  path: string;
  query?: Record<string, string | number | undefined>;
  /** Resolve `path` against the origin instead of the base URL (Tempo's `/ready`). */
  rootRelative?: boolean;
}

/** The URL for `spec` below `base`; query values left undefined are not sent. */
export function requestUrl(base: URL, spec: UrlSpec): URL {
  const u = spec.rootRelative ? joinUrl(new URL(base.origin), spec.path) : joinUrl(base, spec.path);
  for (const [key, value] of Object.entries(spec.query ?? {})) {
    if (value !== undefined) u.searchParams.set(key, String(value));
  }
  return u;
}
