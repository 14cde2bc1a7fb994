import type { Language } from '~/i18n/languages.ts';
import { escapeHtml } from './html.ts';

/** An absolute http(s) address in mail text, up to whitespace; trailing punctuation stays text. */
const LINK = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'’»]/g;

/** One paragraph's text as HTML: escaped, its addresses made links, its line breaks kept. */
function paragraphHtml(paragraph: string): string {
  let html = '';
  let last = 0;
  for (const match of paragraph.matchAll(LINK)) {
    html += escapeHtml(paragraph.slice(last, match.index));
    const href = escapeHtml(match[0]);
    html += `<a href="${href}">${href}</a>`;
    last = match.index + match[0].length;
  }
  html += escapeHtml(paragraph.slice(last));
  return html.replace(/\n/g, '<br>\n');
}

/**
 * The HTML part of a mail written as plain text: every character escaped (a member's
 * name can never add markup), paragraphs at blank lines, addresses as links, in a
 * document that names its language.
 */
export function mailHtml(text: string, subject: string, language: Language): string {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .filter((paragraph) => paragraph.trim() !== '')
    .map((paragraph) => `<p>${paragraphHtml(paragraph)}</p>`);
  return [
    '<!DOCTYPE html>',
    `<html lang="${language}">`,
    '<head><meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.5; color: #1a1a1a;">',
    ...paragraphs,
    '</body>',
    '</html>',
  ].join('\n');
}
