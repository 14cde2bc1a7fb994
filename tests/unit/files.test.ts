import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { prepareUpload } from '~/server/files/inspect.ts';
import { contentDisposition, safeFileName } from '~/server/files/names.ts';
import { MAX_FILE_BYTES, MAX_UPLOAD_BODY_BYTES } from '~/server/files/types.ts';
import { docx, exe, jpegWithLocation, odt, pdf, png, zip } from '../helpers/files.ts';

/** Shared files are judged by their content, never their name; images lose their metadata. */

const bytes = (buffer: Buffer | string) => new Uint8Array(typeof buffer === 'string' ? Buffer.from(buffer, 'utf8') : buffer);

describe('checking an upload by its content', () => {
  it('accepts each document type by its signature, and names it by what it is', async () => {
    const cases: Array<[string, Buffer, string, string]> = [
      ['report.pdf', pdf(), 'application/pdf', 'report.pdf'],
      ['Tender template.docx', docx(), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'Tender template.docx'],
      ['minutes.odt', odt(), 'application/vnd.oasis.opendocument.text', 'minutes.odt'],
      // A PDF named like a Word file is still a PDF, offered as one.
      ['study.docx', pdf(), 'application/pdf', 'study.pdf'],
    ];
    for (const [name, content, mediaType, stored] of cases) {
      const result = await prepareUpload(name, bytes(content));
      expect(result, name).toMatchObject({ ok: true, file: { mediaType, name: stored } });
    }
  });

  it('refuses a program renamed as a document, an archive, and old binary formats', async () => {
    for (const name of ['budget.pdf', 'budget.exe', 'notes.txt', 'data.csv']) {
      expect(await prepareUpload(name, bytes(exe())), name).toEqual({ ok: false, problem: 'refusedType' });
    }
    expect(await prepareUpload('files.zip', bytes(zip([['a.txt', 'hello']])))).toEqual({ ok: false, problem: 'refusedType' });
    // An old Word file starts with the OLE compound-file signature.
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)]);
    expect(await prepareUpload('old.doc', bytes(ole))).toEqual({ ok: false, problem: 'refusedType' });
  });

  it('handles a PNG named .pdf as the PNG it is', async () => {
    const result = await prepareUpload('scan.pdf', bytes(await png()));
    expect(result).toMatchObject({ ok: true, file: { mediaType: 'image/png', name: 'scan.png' } });
  });

  it('accepts text only when it is valid UTF-8 without NUL bytes; CSV by its name, plain text otherwise', async () => {
    expect(await prepareUpload('tariffs.csv', bytes('town;tariff\nТемиртау;12,5\n'))).toMatchObject({ ok: true, file: { mediaType: 'text/csv', name: 'tariffs.csv' } });
    expect(await prepareUpload('notes', bytes('Жиналыс хаттамасы'))).toMatchObject({ ok: true, file: { mediaType: 'text/plain', name: 'notes.txt' } });
    expect(await prepareUpload('bad.csv', new Uint8Array([0x61, 0xff, 0xfe, 0x62]))).toEqual({ ok: false, problem: 'refusedType' });
    expect(await prepareUpload('nul.txt', new Uint8Array([0x61, 0x00, 0x62]))).toEqual({ ok: false, problem: 'refusedType' });
  });

  it('refuses an empty file and one above 20 MB before looking further', async () => {
    expect(await prepareUpload('empty.pdf', new Uint8Array())).toEqual({ ok: false, problem: 'empty' });
    const big = new Uint8Array(MAX_FILE_BYTES + 1);
    big.set(bytes(pdf()));
    expect(await prepareUpload('big.pdf', big)).toEqual({ ok: false, problem: 'tooLarge' });
    const justRight = new Uint8Array(MAX_FILE_BYTES);
    justRight.set(bytes(pdf()));
    expect(await prepareUpload('big.pdf', justRight)).toMatchObject({ ok: true });
  });

  it('re-encodes a photo so that its EXIF (camera, description, GPS position) is gone', async () => {
    const original = await jpegWithLocation();
    const before = await sharp(original).metadata();
    expect(before.exif?.toString('latin1')).toContain('SecretCam');
    const result = await prepareUpload('yard.jpeg', bytes(original));
    if (!result.ok) throw new Error(result.problem);
    expect(result.file).toMatchObject({ mediaType: 'image/jpeg', name: 'yard.jpg' });
    const after = await sharp(result.file.bytes).metadata();
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(Buffer.from(result.file.bytes).toString('latin1')).not.toContain('SecretCam');
    expect({ width: after.width, height: after.height }).toEqual({ width: 32, height: 24 });
  });

  it('refuses an image that cannot be decoded, and anything but an image where only images go', async () => {
    const broken = Buffer.concat([(await png()).subarray(0, 40)]);
    expect(await prepareUpload('broken.png', bytes(broken))).toEqual({ ok: false, problem: 'unreadableImage' });
    expect(await prepareUpload('emblem.pdf', bytes(pdf()), { imagesOnly: true })).toEqual({ ok: false, problem: 'imageOnly' });
    expect(await prepareUpload('emblem.png', bytes(await png()), { imagesOnly: true })).toMatchObject({ ok: true });
  });
});

describe('download names', () => {
  it('keeps only the last segment of a path, without control or reserved characters', () => {
    const type = { extension: 'pdf' };
    expect(safeFileName('../../etc/passwd', type)).toBe('passwd.pdf');
    expect(safeFileName('C:\\Users\\akimat\\Отчёт 2024.pdf', type)).toBe('Отчёт 2024.pdf');
    expect(safeFileName('a"b<c>d|e?f*\u0007\u202Egnp.exe', type)).toBe('abcdefgnp.pdf');
    expect(safeFileName('...', type)).toBe('file.pdf');
    expect(safeFileName('.htaccess', type)).toBe('htaccess.pdf');
    expect(safeFileName(`${'я'.repeat(300)}.pdf`, type)).toBe(`${'я'.repeat(100)}.pdf`);
  });

  it('says the name twice in Content-Disposition: ASCII for old clients, RFC 5987 UTF-8 for the rest', () => {
    expect(contentDisposition('Отчёт 2024 (final).pdf', 'attachment')).toBe(
      `attachment; filename="_____ 2024 (final).pdf"; filename*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82%202024%20%28final%29.pdf`,
    );
    expect(contentDisposition('emblem.png', 'inline')).toBe(`inline; filename="emblem.png"; filename*=UTF-8''emblem.png`);
  });
});

describe('upload size limits', () => {
  it('read one body limit everywhere: the form reader, the file rules and astro.config.mjs', () => {
    // src/lib/forms.ts imports astro:actions, which only Astro's build resolves: read as text.
    const megabytes = MAX_UPLOAD_BODY_BYTES / (1024 * 1024);
    expect(megabytes).toBe(21);
    expect(readFileSync('src/lib/forms.ts', 'utf8')).toContain(`MAX_FORM_BODY_BYTES = ${megabytes} * 1024 * 1024;`);
    expect(readFileSync('astro.config.mjs', 'utf8')).toContain(`actionBodySizeLimit: ${megabytes} * 1024 * 1024,`);
  });
});
