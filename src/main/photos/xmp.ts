/**
 * Ratings, pick/reject flags and colour labels in XMP packets, parsed and written with a real XML
 * DOM (@xmldom/xmldom), so a side-car's other content (other namespaces, darktable's history,
 * Lightroom's develop settings) survives an edit untouched.
 *
 * What is read and written, the way the tools photographers use do it:
 * - stars: `xmp:Rating` 0–5 (Lightroom, Bridge, Capture One, Photo Mechanic, darktable);
 * - reject: `xmp:Rating` −1 (Bridge and darktable write it; Lightroom reads it as a reject on import),
 *   plus `xmpDM:pick` −1 and `xmpDM:good` False (the Dynamic Media flags of Lightroom and Premiere);
 * - pick: `xmpDM:pick` 1 and `xmpDM:good` True;
 * - colour label: `xmp:Label` by Lightroom's names, and darktable's own `darktable:colorlabels`
 *   (0 red … 4 purple), which is read, and rewritten only where a side-car already has it.
 */
import { DOMParser, XMLSerializer, type Document, type Element, type Node } from '@xmldom/xmldom';
import { COLOUR_LABELS, type ColourLabel, type PhotoTags, type PickFlag, type Rating } from '../../shared/api/photos';
import { ZoeError } from '../../shared/errors';

export const XMP_NAMESPACES = {
  x: 'adobe:ns:meta/',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  xmp: 'http://ns.adobe.com/xap/1.0/',
  xmpDM: 'http://ns.adobe.com/xmp/1.0/DynamicMedia/',
  darktable: 'http://darktable.sf.net/'
} as const;

const { rdf: RDF, xmp: XMP, xmpDM: XMP_DM, darktable: DARKTABLE } = XMP_NAMESPACES;

/** The tags without where they came from. */
export type TagValues = Omit<PhotoTags, 'sidecars'>;

/** No stars, no flag, no label. */
export const NO_TAGS: TagValues = { rating: 0, flag: 'none', label: null };

/** What one XMP packet records: only the fields it has. */
export type RecordedTags = Partial<TagValues>;

/** A blank XMP packet, as a side-car that did not exist starts out. */
const BLANK_PACKET = `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Zoe Studio">
 <rdf:RDF xmlns:rdf="${RDF}">
  <rdf:Description rdf:about=""/>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>
`;

const ELEMENT_NODE = 1;

function parse(text: string): Document {
  try {
    return new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      }
    }).parseFromString(text, 'text/xml');
  } catch (error) {
    throw new ZoeError('INVALID_ARGUMENT', 'This XMP side-car is not well-formed XML, so Zoe Studio leaves it alone.', {
      detail: error instanceof Error ? error.message : String(error),
      cause: error
    });
  }
}

function childElements(node: Node): Element[] {
  const elements: Element[] = [];
  for (let child = node.firstChild; child !== null; child = child.nextSibling) {
    if (child.nodeType === ELEMENT_NODE) elements.push(child as Element);
  }
  return elements;
}

/** Every `rdf:Description` of the packet, in document order. */
function descriptions(document: Document): Element[] {
  return Array.from(document.getElementsByTagNameNS(RDF, 'Description'));
}

/** A simple property's text: an attribute of a description, or a child element with only text. */
function readProperty(document: Document, namespace: string, name: string): string | undefined {
  for (const description of descriptions(document)) {
    if (description.hasAttributeNS(namespace, name)) return description.getAttributeNS(namespace, name) ?? undefined;
    const element = childElements(description).find((child) => child.namespaceURI === namespace && child.localName === name);
    if (element !== undefined) return (element.textContent ?? '').trim();
  }
  return undefined;
}

/** The items of an array property (`<ns:name><rdf:Seq|Bag><rdf:li>…`). */
function readArrayProperty(document: Document, namespace: string, name: string): string[] | undefined {
  for (const description of descriptions(document)) {
    const element = childElements(description).find((child) => child.namespaceURI === namespace && child.localName === name);
    if (element === undefined) continue;
    return Array.from(element.getElementsByTagNameNS(RDF, 'li')).map((item) => (item.textContent ?? '').trim());
  }
  return undefined;
}

function labelNamed(text: string | undefined): ColourLabel | null | undefined {
  if (text === undefined) return undefined;
  if (text === '') return null;
  return COLOUR_LABELS.find((label) => label.toLowerCase() === text.toLowerCase()) ?? null;
}

/** The rating, flag and label an XMP packet records; fields it does not record are left out. */
export function readTags(xmpText: string): RecordedTags {
  const document = parse(xmpText);
  const recorded: RecordedTags = {};
  const ratingText = readProperty(document, XMP, 'Rating');
  const rating = ratingText === undefined ? Number.NaN : Number(ratingText);
  const pickText = readProperty(document, XMP_DM, 'pick');
  const pick = pickText === undefined ? Number.NaN : Number(pickText);
  const goodText = readProperty(document, XMP_DM, 'good')?.toLowerCase();
  if (Number.isFinite(rating)) recorded.rating = rating < 0 ? 0 : (Math.min(5, Math.max(0, Math.round(rating))) as Rating);
  if (rating < 0 || pick === -1) recorded.flag = 'reject';
  else if (pick === 1 || (pickText === undefined && goodText === 'true')) recorded.flag = 'pick';
  else if (pick === 0 || goodText === 'false' || Number.isFinite(rating)) recorded.flag = 'none';
  const label = labelNamed(readProperty(document, XMP, 'Label'));
  if (label !== undefined) recorded.label = label;
  else {
    const darktable = readArrayProperty(document, DARKTABLE, 'colorlabels');
    if (darktable !== undefined) {
      const first = darktable.map(Number).find((index) => Number.isInteger(index) && index >= 0 && index < COLOUR_LABELS.length);
      recorded.label = first === undefined ? null : (COLOUR_LABELS[first] ?? null);
    }
  }
  return recorded;
}

/** The prefix already bound to `namespace` on the way up from `element`, if any. */
function prefixFor(element: Element, namespace: string): string | null {
  return element.lookupPrefix(namespace);
}

/**
 * Sets a simple property where the packet already has it (an attribute keeps its place, an element
 * its form), else as an attribute of the first description; other copies are removed. `null`
 * removes it wherever it is.
 */
function setProperty(document: Document, namespace: string, preferredPrefix: string, name: string, value: string | null): void {
  const all = descriptions(document);
  let written = value === null;
  for (const description of all) {
    if (description.hasAttributeNS(namespace, name)) {
      const attribute = description.getAttributeNodeNS(namespace, name);
      if (!written && attribute !== null) {
        attribute.value = value as string;
        written = true;
      } else {
        description.removeAttributeNS(namespace, name);
      }
    }
    for (const child of childElements(description)) {
      if (child.namespaceURI !== namespace || child.localName !== name) continue;
      if (!written) {
        while (child.firstChild !== null) child.removeChild(child.firstChild);
        child.appendChild(document.createTextNode(value as string));
        written = true;
      } else {
        removeWithIndent(child);
      }
    }
  }
  if (written) return;
  const target = all[0];
  if (target === undefined) throw new ZoeError('INVALID_ARGUMENT', 'This XMP side-car has no rdf:Description to hold a rating.');
  let prefix = prefixFor(target, namespace);
  if (prefix === null) {
    prefix = freePrefix(target, preferredPrefix);
    target.setAttributeNS('http://www.w3.org/2000/xmlns/', `xmlns:${prefix}`, namespace);
  }
  target.setAttributeNS(namespace, `${prefix}:${name}`, value as string);
}

/** `preferred`, or `preferred2`, … when another namespace already uses that prefix here. */
function freePrefix(element: Element, preferred: string): string {
  for (let suffix = 1; ; suffix++) {
    const candidate = suffix === 1 ? preferred : `${preferred}${suffix}`;
    if (element.lookupNamespaceURI(candidate) === null) return candidate;
  }
}

/** Removes an element and the whitespace that indented it. */
function removeWithIndent(element: Element): void {
  const before = element.previousSibling;
  if (before !== null && before.nodeType === 3 && (before.nodeValue ?? '').trim() === '') before.parentNode?.removeChild(before);
  element.parentNode?.removeChild(element);
}

/** Rewrites darktable's colour label list, only where the packet already has one. */
function setDarktableLabel(document: Document, label: ColourLabel | null): void {
  for (const description of descriptions(document)) {
    for (const element of childElements(description)) {
      if (element.namespaceURI !== DARKTABLE || element.localName !== 'colorlabels') continue;
      const sequence = childElements(element).find((child) => child.namespaceURI === RDF) ?? null;
      if (sequence === null) continue;
      for (const item of childElements(sequence)) sequence.removeChild(item);
      while (sequence.firstChild !== null) sequence.removeChild(sequence.firstChild);
      if (label !== null) {
        const item = document.createElementNS(RDF, `${sequence.prefix ?? 'rdf'}:li`);
        item.appendChild(document.createTextNode(String(COLOUR_LABELS.indexOf(label))));
        sequence.appendChild(item);
      }
    }
  }
}

function pickValue(flag: PickFlag): string | null {
  return flag === 'pick' ? '1' : flag === 'reject' ? '-1' : null;
}

/**
 * The packet `xmpText` (a new one when `null`) with the rating, flag and label set to `tags`, and
 * everything else in it as it was.
 */
export function writeTags(xmpText: string | null, tags: TagValues): string {
  const document = parse(xmpText ?? BLANK_PACKET);
  if (descriptions(document).length === 0) {
    throw new ZoeError('INVALID_ARGUMENT', 'This XMP side-car has no rdf:Description to hold a rating, so Zoe Studio leaves it alone.');
  }
  setProperty(document, XMP, 'xmp', 'Rating', String(tags.flag === 'reject' ? -1 : tags.rating));
  setProperty(document, XMP_DM, 'xmpDM', 'pick', pickValue(tags.flag));
  setProperty(document, XMP_DM, 'xmpDM', 'good', tags.flag === 'none' ? null : tags.flag === 'pick' ? 'True' : 'False');
  setProperty(document, XMP, 'xmp', 'Label', tags.label);
  setDarktableLabel(document, tags.label);
  return new XMLSerializer().serializeToString(document);
}

/** `recorded` over `base`, field by field. */
export function mergeTags(base: TagValues, recorded: RecordedTags): TagValues {
  return {
    rating: recorded.rating ?? base.rating,
    flag: recorded.flag ?? base.flag,
    label: recorded.label === undefined ? base.label : recorded.label
  };
}

/**
 * The tags after a change, as Lightroom behaves: stars given to a rejected photo take the reject
 * away; a reject leaves no stars (XMP records a reject as rating −1).
 */
export function applyChange(current: TagValues, change: { rating?: Rating; flag?: PickFlag; label?: ColourLabel | null }): TagValues {
  let flag = change.flag ?? current.flag;
  if (change.rating !== undefined && change.flag === undefined && current.flag === 'reject') flag = 'none';
  const rating = flag === 'reject' ? 0 : (change.rating ?? current.rating);
  return { rating, flag, label: change.label === undefined ? current.label : change.label };
}
