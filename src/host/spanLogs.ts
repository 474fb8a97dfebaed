/**
 * The "Logs" section of the span details: the local store's OTLP log records of the span, and
 * the lines of workspace log files and open output that carry its span ID (or, for a span no line
 * names, its trace ID at a time inside the span). Which lines belong to a span is core's
 * (`core/logs`); this file finds the texts, bounded in number and size, and remembers where each
 * line is so that opening one never takes a location from the webview.
 */
import * as vscode from 'vscode';
import { spanLogRecords } from '../core/agent';
import { cleanLogLine, scanLogText, type LogLineHit } from '../core/logs';
import type { StoredLog } from '../core/store';
import { spanIdAt } from '../shared/model';
import type { SpanLogLine, SpanLogRecord } from '../shared/protocol';
import type { LoadedTrace } from './traceService';

/** Log files looked at: the workspace's `*.log`, `*.jsonl` and `*.ndjson` outside dependencies. */
const LOG_GLOB = '**/*.{log,jsonl,ndjson}';
const EXCLUDE = '**/{node_modules,.git,.venv,dist,out,target}/**';
const MAX_FILES = 100;
/** A file larger than this is read from its end (recent lines are the likely ones). */
const MAX_FILE_BYTES = 8 * 1024 * 1024;
const MAX_LINES = 200;
const MAX_RECORDS = 200;

/** Where a listed line is: a workspace file or an open document (output). */
export interface LogLineLocation {
  uri: vscode.Uri;
  /** 0-based. */
  line: number;
}

/** What the span's Logs section shows, with where each line is. */
export interface FoundSpanLogs {
  records: SpanLogRecord[];
  lines: Array<Omit<SpanLogLine, 'id'> & LogLineLocation>;
  notes: string[];
}

/** What the finder needs. */
export interface SpanLogsDeps {
  /** The local store's log records of a span of `loaded` (undefined: the store did not serve it). */
  storeLogs(loaded: LoadedTrace, spanId: string): Promise<readonly StoredLog[] | undefined>;
  log: vscode.LogOutputChannel;
}

/** Whether `uri` may be opened from the panel: a file in the workspace, or an open output. */
export function mayOpenLogLine(uri: vscode.Uri): boolean {
  if (uri.scheme === 'output') return true;
  return uri.scheme === 'file' && vscode.workspace.getWorkspaceFolder(uri) !== undefined;
}

/** Opens a listed line in an editor, selecting it; refuses anything outside the workspace. */
export async function openLogLine(loc: LogLineLocation): Promise<void> {
  if (!mayOpenLogLine(loc.uri)) return;
  const doc = await vscode.workspace.openTextDocument(loc.uri);
  const line = Math.min(loc.line, Math.max(0, doc.lineCount - 1));
  const range = doc.lineAt(line).range;
  await vscode.window.showTextDocument(doc, {
    selection: range,
    preview: true,
    viewColumn: vscode.ViewColumn.One,
  });
}

export class SpanLogFinder {
  constructor(private readonly deps: SpanLogsDeps) {}

  /** The logs of span `index` of `loaded`. Never throws: what could not be read is a note. */
  async find(loaded: LoadedTrace, index: number): Promise<FoundSpanLogs> {
    const model = loaded.decoded.model;
    const notes: string[] = [];
    if (index < 0 || index >= model.spanCount) return { records: [], lines: [], notes };
    const spanId = spanIdAt(model.columns, index);
    const startMs =
      Number(BigInt(model.traceStartUnixNano) / 1_000_000n) + model.columns.startNs[index]! / 1e6;
    const query = {
      traceId: model.traceId,
      spanId,
      windowMs: [startMs, startMs + model.columns.durationNs[index]! / 1e6] as const,
    };

    let records: SpanLogRecord[] = [];
    try {
      const stored = await this.deps.storeLogs(loaded, spanId);
      if (stored) {
        records = spanLogRecords(stored.slice(0, MAX_RECORDS), model, index).map((r) => ({
          timeNs: r.timeNs,
          severity: r.severity ?? '',
          body: cleanLogLine(r.body, 2000),
        }));
        if (stored.length > MAX_RECORDS) notes.push(`Only the first ${MAX_RECORDS} log records are listed.`);
      }
    } catch (err) {
      this.deps.log.warn(`span logs: the local store's log records could not be read: ${String(err)}`);
      notes.push('The local store’s log records could not be read; see the Trace Lens log.');
    }

    const lines: FoundSpanLogs['lines'] = [];
    let truncated = false;
    const take = (uri: vscode.Uri, where: string, hits: LogLineHit[]) => {
      for (const h of hits) {
        if (lines.length >= MAX_LINES) {
          truncated = true;
          return;
        }
        lines.push({ uri, line: h.line, where: `${where}:${h.line + 1}`, text: h.text, by: h.by });
      }
    };
    const scan = (uri: vscode.Uri, where: string, text: string, lineOffset = 0) => {
      const r = scanLogText(text, query, { maxHits: MAX_LINES });
      truncated ||= r.truncated;
      const shift = (hits: LogLineHit[]) => hits.map((h) => ({ ...h, line: h.line + lineOffset }));
      take(uri, where, shift(r.span));
      take(uri, where, shift(r.trace));
    };

    // Open documents first: output channels, and log files the person has open (maybe unsaved).
    const scanned = new Set<string>();
    for (const doc of vscode.workspace.textDocuments) {
      const isOutput = doc.uri.scheme === 'output';
      const isLogFile = doc.uri.scheme === 'file' && /\.(log|jsonl|ndjson)$/i.test(doc.uri.path);
      if (!isOutput && !(isLogFile && mayOpenLogLine(doc.uri))) continue;
      scanned.add(doc.uri.toString());
      scan(
        doc.uri,
        isOutput ? `Output ${outputName(doc.uri)}` : vscode.workspace.asRelativePath(doc.uri),
        doc.getText(),
      );
    }
    if (vscode.workspace.workspaceFolders?.length) {
      let files: vscode.Uri[] = [];
      try {
        files = await vscode.workspace.findFiles(LOG_GLOB, EXCLUDE, MAX_FILES);
      } catch (err) {
        this.deps.log.warn(`span logs: finding log files failed: ${String(err)}`);
      }
      for (const uri of files) {
        if (scanned.has(uri.toString()) || !mayOpenLogLine(uri)) continue;
        const text = await readTail(uri);
        if (text === undefined) continue;
        scan(uri, vscode.workspace.asRelativePath(uri), text.text, text.lineOffset);
        if (text.cut)
          notes.push(`${vscode.workspace.asRelativePath(uri)} is large: only its last 8 MB were read.`);
      }
    }
    if (truncated) notes.push(`Only the first ${MAX_LINES} matching lines are listed.`);
    return { records, lines, notes };
  }
}

/** The output channel's name from its document URI, for a person. */
function outputName(uri: vscode.Uri): string {
  const name = decodeURIComponent(uri.path).split('/').pop() ?? '';
  // Output documents are named like `extension-output-publisher.ext-#1-Channel Name`.
  return cleanLogLine(name.replace(/^extension-output-.*?-#\d+-/, ''), 80);
}

/**
 * A file's text, or its last `MAX_FILE_BYTES` when it is larger (`lineOffset`: the lines left
 * out, so line numbers stay the file's); undefined when unreadable.
 */
async function readTail(
  uri: vscode.Uri,
): Promise<{ text: string; cut: boolean; lineOffset: number } | undefined> {
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    if (bytes.byteLength <= MAX_FILE_BYTES) {
      return { text: new TextDecoder().decode(bytes), cut: false, lineOffset: 0 };
    }
    const from = bytes.byteLength - MAX_FILE_BYTES;
    let lineOffset = 0;
    for (let k = 0; k < from; k++) if (bytes[k] === 10) lineOffset++;
    return { text: new TextDecoder().decode(bytes.subarray(from)), cut: true, lineOffset };
  } catch {
    return undefined;
  }
}
