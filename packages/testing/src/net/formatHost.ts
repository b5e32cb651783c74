/** Brackets an IPv6 literal (`::1` → `[::1]`) so that it can stand in a URL. */
export function formatHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
