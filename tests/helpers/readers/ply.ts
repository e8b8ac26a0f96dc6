/**
 * A PLY reader (Greg Turk's format as MeshLab and CloudCompare read it) for tests, written from the
 * format description independently of the exporter: ascii or binary, either byte order, scalar
 * properties of any of the eight types; list properties are refused.
 */
export interface PlyFile {
  format: 'ascii' | 'binary_little_endian' | 'binary_big_endian';
  comments: string[];
  /** Per element name, per property name, one value per element. */
  elements: Map<string, Map<string, number[]>>;
}

const TYPE_SIZES: Record<string, number> = {
  char: 1, int8: 1, uchar: 1, uint8: 1, short: 2, int16: 2, ushort: 2, uint16: 2,
  int: 4, int32: 4, uint: 4, uint32: 4, float: 4, float32: 4, double: 8, float64: 8
};

function readScalar(view: DataView, at: number, type: string, little: boolean): number {
  switch (type) {
    case 'char': case 'int8': return view.getInt8(at);
    case 'uchar': case 'uint8': return view.getUint8(at);
    case 'short': case 'int16': return view.getInt16(at, little);
    case 'ushort': case 'uint16': return view.getUint16(at, little);
    case 'int': case 'int32': return view.getInt32(at, little);
    case 'uint': case 'uint32': return view.getUint32(at, little);
    case 'float': case 'float32': return view.getFloat32(at, little);
    case 'double': case 'float64': return view.getFloat64(at, little);
    default: throw new Error(`unknown PLY type ${type}`);
  }
}

export function readPly(file: Uint8Array): PlyFile {
  const text = Buffer.from(file.buffer, file.byteOffset, file.byteLength).toString('latin1');
  const end = text.indexOf('end_header\n');
  if (!text.startsWith('ply\n') || end < 0) throw new Error('not a PLY file');
  const lines = text.slice(0, end).split('\n');
  let format: PlyFile['format'] | undefined;
  const comments: string[] = [];
  const layout: { name: string; count: number; properties: { name: string; type: string }[] }[] = [];
  for (const line of lines.slice(1)) {
    const words = line.trim().split(/\s+/);
    if (words[0] === 'format') {
      if (words[1] !== 'ascii' && words[1] !== 'binary_little_endian' && words[1] !== 'binary_big_endian') throw new Error(line);
      format = words[1];
    } else if (words[0] === 'comment') comments.push(line.slice('comment '.length));
    else if (words[0] === 'element') layout.push({ name: words[1] ?? '', count: Number(words[2]), properties: [] });
    else if (words[0] === 'property') {
      if (words[1] === 'list') throw new Error('list properties are not supported');
      layout.at(-1)?.properties.push({ type: words[1] ?? '', name: words[2] ?? '' });
    } else if (line.trim() !== '') throw new Error(`unexpected header line ${line}`);
  }
  if (format === undefined) throw new Error('no format line');
  const elements = new Map<string, Map<string, number[]>>();
  let at = file.byteOffset + end + 'end_header\n'.length;
  const view = new DataView(file.buffer);
  const asciiValues = format === 'ascii' ? text.slice(end + 'end_header\n'.length).trim().split(/\s+/).map(Number) : [];
  let asciiAt = 0;
  for (const element of layout) {
    const columns = new Map(element.properties.map((property) => [property.name, [] as number[]]));
    for (let i = 0; i < element.count; i++) {
      for (const property of element.properties) {
        let value: number;
        if (format === 'ascii') value = asciiValues[asciiAt++] ?? Number.NaN;
        else {
          const size = TYPE_SIZES[property.type];
          if (size === undefined) throw new Error(`unknown PLY type ${property.type}`);
          value = readScalar(view, at, property.type, format === 'binary_little_endian');
          at += size;
        }
        columns.get(property.name)?.push(value);
      }
    }
    elements.set(element.name, columns);
  }
  if (format !== 'ascii' && at !== file.byteOffset + file.byteLength) throw new Error(`${file.byteOffset + file.byteLength - at} trailing bytes`);
  return { format, comments, elements };
}
