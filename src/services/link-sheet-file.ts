import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { linkSheetColumns, linkSheetName, locateLinkSheetColumns, type LinkSheetRow, type UploadedRow } from '../domain/link-sheet.js';
import { ServiceError } from './errors.js';

/**
 * The link sheet as a file: written as .xlsx, read back from .xlsx or .csv (UTF-8, with or
 * without BOM). Parsing is exceljs' and csv-parse's; this module only turns cells into rows and
 * refuses files that cannot be trusted as a whole.
 */

export const xlsxContentType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface LinkSheetLimits {
  maxBytes: number;
  maxRows: number;
}

export type LinkSheetRefusal =
  | 'upload-file-type'
  | 'upload-too-large'
  | 'upload-too-many-rows'
  | 'upload-missing-headers'
  | 'upload-formula-cells'
  | 'upload-encoding'
  | 'upload-unreadable'
  | 'upload-conflicting-rows'
  | 'upload-rows-refused';

const refusalStatus: Record<LinkSheetRefusal, 413 | 415 | 422> = {
  'upload-file-type': 415,
  'upload-too-large': 413,
  'upload-too-many-rows': 413,
  'upload-missing-headers': 422,
  'upload-formula-cells': 422,
  'upload-encoding': 422,
  'upload-unreadable': 422,
  'upload-conflicting-rows': 422,
  'upload-rows-refused': 422,
};

/** The uploaded file was refused as a whole; nothing was written. */
export class LinkSheetRefusedError extends ServiceError {
  readonly status: 413 | 415 | 422;
  constructor(
    readonly slug: LinkSheetRefusal,
    readonly title: string,
    readonly detail: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'LinkSheetRefusedError';
    this.status = refusalStatus[slug];
  }
}

export type LinkSheetFileKind = 'xlsx' | 'csv';

const zipSignature = [0x50, 0x4b, 0x03, 0x04];

/** The kind by the file name (or, without an extension, the declared type), checked against the content. */
export function linkSheetFileKind(fileName: string, contentType: string, bytes: Uint8Array): LinkSheetFileKind {
  const extension = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase();
  const declared = extension ?? (contentType === xlsxContentType ? 'xlsx' : contentType.startsWith('text/csv') ? 'csv' : undefined);
  const isZip = zipSignature.every((byte, i) => bytes[i] === byte);
  if (declared === 'xlsx' && isZip) return 'xlsx';
  if (declared === 'csv' && !isZip) return 'csv';
  throw new LinkSheetRefusedError(
    'upload-file-type',
    'Unsupported File Type',
    declared === 'xlsx' || declared === 'csv'
      ? `${fileName || 'the file'} is named .${declared} but its content is not ${declared === 'xlsx' ? 'an Excel workbook' : 'text'}`
      : `${fileName || 'the file'} is not .xlsx or .csv; upload the downloaded link sheet as .xlsx or as CSV (UTF-8)`,
  );
}

/** A1-style address of a cell (column index from 0, row number from 1). */
function cellAddress(columnIndex: number, row: number): string {
  let letters = '';
  for (let n = columnIndex + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return `${letters}${row}`;
}

/** Cells of a sheet as text, with their row numbers; blank rows left out. */
interface SheetCells {
  rows: { row: number; cells: string[] }[];
  formulaCells: string[];
}

async function xlsxCells(bytes: Uint8Array): Promise<SheetCells> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
  } catch (error) {
    throw new LinkSheetRefusedError('upload-unreadable', 'Unreadable Workbook', `the .xlsx file could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const sheet = workbook.getWorksheet(linkSheetName) ?? workbook.worksheets[0];
  const result: SheetCells = { rows: [], formulaCells: [] };
  sheet?.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, columnNumber) => {
      if (cell.type === ExcelJS.ValueType.Formula) result.formulaCells.push(cellAddress(columnNumber - 1, rowNumber));
      cells[columnNumber - 1] = cell.type === ExcelJS.ValueType.Null ? '' : cell.text.trim();
    });
    const filled = Array.from(cells, (c) => c ?? '');
    if (filled.some((c) => c !== '')) result.rows.push({ row: rowNumber, cells: filled });
  });
  return result;
}

function csvCells(bytes: Uint8Array): SheetCells {
  let text: string;
  try {
    // The decoder drops a leading BOM; `fatal` refuses bytes that are not UTF-8 (e.g. EUC-KR).
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new LinkSheetRefusedError('upload-encoding', 'Not UTF-8', 'the CSV file is not valid UTF-8; save it as "CSV UTF-8" (Excel) or export UTF-8 text');
  }
  let records: string[][];
  try {
    records = parseCsv(text, { relax_column_count: true, skip_empty_lines: false }) as string[][];
  } catch (error) {
    throw new LinkSheetRefusedError('upload-unreadable', 'Unreadable CSV', `the CSV file could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const result: SheetCells = { rows: [], formulaCells: [] };
  records.forEach((record, index) => {
    const cells = record.map((c) => c.trim());
    // A spreadsheet program would evaluate these cells when the file is opened: not trusted data.
    cells.forEach((cell, column) => cell.startsWith('=') && result.formulaCells.push(cellAddress(column, index + 1)));
    if (cells.some((c) => c !== '')) result.rows.push({ row: index + 1, cells });
  });
  return result;
}

const listed = (items: readonly string[], max = 10) => (items.length > max ? `${items.slice(0, max).join(', ')} and ${items.length - max} more` : items.join(', '));

/**
 * The data rows of an uploaded sheet: the first non-blank row holds the headers. Refuses the
 * whole file when it is too large, not .xlsx/.csv, not UTF-8, has formula cells, lacks a required
 * header or has more data rows than allowed.
 */
export async function readLinkSheetFile(file: { name: string; type: string; bytes: Uint8Array }, limits: LinkSheetLimits): Promise<UploadedRow[]> {
  if (file.bytes.byteLength > limits.maxBytes) {
    throw new LinkSheetRefusedError('upload-too-large', 'File Too Large', `the file has ${file.bytes.byteLength} bytes; at most ${limits.maxBytes} are accepted`);
  }
  const kind = linkSheetFileKind(file.name, file.type, file.bytes);
  const sheet = kind === 'xlsx' ? await xlsxCells(file.bytes) : csvCells(file.bytes);
  if (sheet.formulaCells.length > 0) {
    throw new LinkSheetRefusedError('upload-formula-cells', 'Formula Cells', `formulas are not accepted; replace them by their values: ${listed(sheet.formulaCells)}`, {
      cells: sheet.formulaCells.slice(0, 100),
    });
  }
  const [header, ...data] = sheet.rows;
  const columns = locateLinkSheetColumns(header?.cells ?? []);
  if (!columns.ok) {
    throw new LinkSheetRefusedError('upload-missing-headers', 'Missing Headers', `the first row must name the columns ${listed(columns.missing)}`, { missing: columns.missing });
  }
  if (data.length > limits.maxRows) {
    throw new LinkSheetRefusedError('upload-too-many-rows', 'Too Many Rows', `the file has ${data.length} data rows; at most ${limits.maxRows} are accepted — split it`);
  }
  const { variantCode, cstGodCd, quantity } = columns.index;
  const at = (cells: string[], index: number | undefined) => (index === undefined ? '' : (cells[index] ?? ''));
  return data.map(({ row, cells }) => ({ row, variantCode: at(cells, variantCode), cstGodCd: at(cells, cstGodCd), quantity: at(cells, quantity) }));
}

const guide = [
  '상품연결 시트 사용법 (how to use the link sheet)',
  '· 한 행 = 카페24 품목(품목코드) 하나와 FMS 상품 하나. 세트 상품은 구성 상품마다 같은 품목코드로 한 행씩 적습니다.',
  '· FMS상품코드와 수량을 채우면 그 품목의 연결이 시트의 내용으로 바뀝니다. 수량을 비우면 1입니다.',
  '· FMS상품코드와 수량이 빈 행은 건너뜁니다 (기존 연결은 그대로). 연결 해제는 API의 DELETE로 합니다.',
  '· 수식은 받지 않습니다. 값만 적어 주세요. CSV로 저장할 때는 "CSV UTF-8"을 고르세요.',
  '· 필수 열: 품목코드, FMS상품코드, 수량. 나머지 열은 참고용이며 업로드 때 읽지 않습니다.',
];

/** The link sheet as an .xlsx workbook: the rows, then a short guide on a second sheet. */
export async function writeLinkSheetXlsx(rows: readonly LinkSheetRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(linkSheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  // Codes stay text ('@'): Excel would otherwise turn a code like 0012 into the number 12.
  sheet.columns = linkSheetColumns.map((c) => ({ header: c.header, key: c.key, width: c.width, style: c.key === 'quantity' ? {} : { numFmt: '@' } }));
  sheet.getRow(1).font = { bold: true };
  sheet.addRows(rows.map((r) => ({ ...r })));
  const help = workbook.addWorksheet('안내');
  help.getColumn(1).width = 110;
  guide.forEach((line) => help.addRow([line]));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
