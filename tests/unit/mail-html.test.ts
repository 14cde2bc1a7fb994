import { describe, expect, it } from 'vitest';
import { mailHtml } from '~/lib/mail-html.ts';

describe('the HTML part of a mail', () => {
  it('escapes every character of the text and of the subject', () => {
    const html = mailHtml('Hello <script>alert(1)</script> & "friends"', 'A <b>subject</b>', 'en');
    expect(html).toContain('<p>Hello &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;friends&quot;</p>');
    expect(html).toContain('<title>A &lt;b&gt;subject&lt;/b&gt;</title>');
    expect(html).not.toContain('<script>');
  });

  it('names its language and keeps paragraphs and line breaks', () => {
    const html = mailHtml('Сәлем,\nАйгерім\n\n\nЕкінші абзац', 'Тақырып', 'kk');
    expect(html).toContain('<html lang="kk">');
    expect(html).toContain('<p>Сәлем,<br>\nАйгерім</p>\n<p>Екінші абзац</p>');
  });

  it('makes addresses links, leaving a full stop or a closing bracket after them as text', () => {
    const html = mailHtml('Open https://qala.example.org/ru/password/reset/?token=a_b-c&x=1. Or (https://qala.example.org/en/)', 'S', 'en');
    expect(html).toContain('<a href="https://qala.example.org/ru/password/reset/?token=a_b-c&amp;x=1">https://qala.example.org/ru/password/reset/?token=a_b-c&amp;x=1</a>.');
    expect(html).toContain('(<a href="https://qala.example.org/en/">https://qala.example.org/en/</a>)');
  });

  it('never makes a link of anything but http and https', () => {
    const html = mailHtml('javascript:alert(1) and "https://x.example/"onmouseover="alert(1)', 'S', 'en');
    expect(html).not.toContain('href="javascript');
    expect(html).toContain('<a href="https://x.example/">https://x.example/</a>&quot;onmouseover=&quot;alert(1)');
  });
});
