import type { Language, Translate } from '~/i18n/index.ts';
import { formatNumber } from './format.ts';

/** A file's size as readers read it, in their language: "820 KB", "1.4 MB" (at least 1 KB). */
export function fileSize(bytes: number, lang: Language, t: Translate): string {
  if (bytes < 1024 * 1024) return t('files.list.sizeKb', { size: formatNumber(Math.max(1, Math.round(bytes / 1024)), lang) });
  return t('files.list.size', { size: formatNumber(Math.round((bytes / (1024 * 1024)) * 10) / 10, lang) });
}
