/** A log format LOGTOJSON knows: a pattern and the JSON key of each of its groups. */
export interface LogFormat {
  readonly pattern: RegExp;
  readonly fields: readonly string[];
  /** Apache logs write `-` for "no value"; the agent sends it as `null`. */
  readonly dashIsNull: boolean;
}

// A double-quoted field of an Apache log; `\"` inside it is an escaped quote.
const QUOTED = '"((?:[^"\\\\]|\\\\.)*)"';
const COMMON = `^(\\S+) (\\S+) (\\S+) \\[([^\\]]+)\\] ${QUOTED} (\\d{3}|-) (\\d+|-)`;
// Anything after the known fields (a custom LogFormat's extras) is allowed, as in the agent.
const REST = '(?:\\s.*)?$';

/** The agent's `logFormat` values and the field names it gives them. */
export const LOG_FORMATS: Readonly<Record<LogFormatName, LogFormat>> = Object.freeze({
  COMMONAPACHELOG: {
    pattern: new RegExp(COMMON + REST),
    fields: ['host', 'ident', 'authuser', 'datetime', 'request', 'response', 'bytes'],
    dashIsNull: true,
  },
  COMBINEDAPACHELOG: {
    pattern: new RegExp(`${COMMON} ${QUOTED} ${QUOTED}${REST}`),
    fields: ['host', 'ident', 'authuser', 'datetime', 'request', 'response', 'bytes', 'referer', 'agent'],
    dashIsNull: true,
  },
  APACHEERRORLOG: {
    pattern: /^\[([^\]]+)\] \[(?:([\w-]+):)?(\w+)\] \[pid (\d+)(?::tid (\d+))?\] (?:\[client ([^\]]+)\] )?(.*)$/,
    fields: ['timestamp', 'module', 'severity', 'processid', 'threadid', 'client', 'message'],
    dashIsNull: false,
  },
  // RFC 3164 as syslog daemons write it to files: "Mmm dd hh:mm:ss host program[pid]: message".
  SYSLOG: {
    pattern: /^([A-Z][a-z]{2}\s+\d{1,2} \d{2}:\d{2}:\d{2}) (?:<\d+\.\d+> )?(\S+) ([\w./%-]+)(?:\[(\d+)\])?: ?(.*)$/,
    fields: ['timestamp', 'hostname', 'program', 'processid', 'message'],
    dashIsNull: false,
  },
  // RFC 5424-style timestamps as rsyslog's RSYSLOG_FileFormat writes them: "2024-01-15T10:30:00.123456+00:00 host program[pid]: message".
  RFC3339SYSLOG: {
    pattern: /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})) (\S+) ([\w./%-]+)(?:\[(\d+)\])?: ?(.*)$/,
    fields: ['timestamp', 'hostname', 'program', 'processid', 'message'],
    dashIsNull: false,
  },
});

/** A `logFormat` value. */
export type LogFormatName = 'COMMONAPACHELOG' | 'COMBINEDAPACHELOG' | 'APACHEERRORLOG' | 'SYSLOG' | 'RFC3339SYSLOG';

/** The number of capturing groups in `pattern`. */
export function groupCount(pattern: RegExp): number {
  // An alternative that matches the empty string makes exec() report every group.
  return new RegExp(`${pattern.source}|`).exec('')!.length - 1;
}
