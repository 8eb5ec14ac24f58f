/** Small formatters shared by the pages. */
import type { RiskLevel } from '@clearance/client';

/** First 12 characters of a hash, for compact display (the full value is in a title). */
export function shortHash(hash: string): string {
  return hash.length > 16 ? `${hash.slice(0, 12)}…` : hash;
}

/** A byte count in B / KiB / MiB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${String(n)} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

/** An RFC 3339 timestamp as `YYYY-MM-DD HH:MM:SS UTC` (unchanged when unparsable). */
export function formatTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** The CSS modifier of a risk level; the word itself is always shown too. */
export function riskClass(risk: RiskLevel): 'green' | 'yellow' | 'red' {
  if (risk === 'GREEN') return 'green';
  if (risk === 'YELLOW') return 'yellow';
  return 'red';
}

/** A short sentence for a risk level. */
export function riskMeaning(risk: RiskLevel): string {
  switch (risk) {
    case 'GREEN':
      return 'no rule fired; approval still required';
    case 'YELLOW':
      return 'manual review required; blocked unless a supervisor overrides';
    case 'RED':
      return 'blocked';
    default:
      return 'could not be assessed; blocked';
  }
}

/** UTF-8 text as base64 (for `data:` URLs). */
export function utf8ToBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

/** A download file name made safe: path separators and control characters removed. */
export function safeFileName(name: string, fallback: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const cleaned = name.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, '_').replace(/^\.+/, '');
  return cleaned === '' ? fallback : cleaned.slice(0, 200);
}
