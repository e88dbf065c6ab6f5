/**
 * The fast-xml-parser setup every reader of S3 XML documents shares (request bodies the proxy checks, upstream
 * answers it reads): element text stays text (parseTagValue off, so a `<PartNumber>` or an ETag is never turned
 * into a number), and attributes, the XML declaration and processing instructions are ignored. Callers check
 * well-formedness with XMLValidator first; the parser itself is lenient.
 */
import { XMLParser } from "fast-xml-parser";

export interface S3XmlParserOptions {
  /** Element paths (`Root.Child`) always read as arrays, so that one element and several look alike. */
  readonly arrays?: readonly string[];
  /** Drop namespace prefixes (`s3:Part` → `Part`); default true. */
  readonly removeNSPrefix?: boolean;
  /** Decode entity references in text; default true. */
  readonly processEntities?: boolean;
  /** Trim element text; default true. */
  readonly trimValues?: boolean;
}

export function s3XmlParser(options: S3XmlParserOptions = {}): XMLParser {
  const arrays: ReadonlySet<string> = new Set(options.arrays ?? []);
  return new XMLParser({
    ignoreAttributes: true,
    removeNSPrefix: options.removeNSPrefix ?? true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    processEntities: options.processEntities ?? true,
    parseTagValue: false,
    trimValues: options.trimValues ?? true,
    isArray: (_name: string, jPath: unknown) => typeof jPath === "string" && arrays.has(jPath),
  });
}
