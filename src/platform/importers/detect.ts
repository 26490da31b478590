// Which kind of file an import source is, from its content: people rename captures freely
// (dmesg.txt that is really a journal, iomem.log, a paste without extension), so the name
// says nothing reliable.

import { invalidLine } from '../errors.js';
import { IOMEM_LINE } from './iomem.js';
import { cleanLine } from './dmesg.js';

export type SourceKind = 'dmesg' | 'iomem' | 'lscpu' | 'sysnode';

/** Messages that mark a kernel log even without timestamps (a bare `dmesg | grep` paste). */
const KERNEL_MESSAGE = /(?:^|\s|\])(?:virt\/tdx:|tdx:|BIOS-e820:|node\s+\d+: \[mem |ACPI: SRAT:|NUMA: |smpboot: |smp: |Linux version |Command line: |e820: |TDX-Module initialized|Memory: )/;
const KERNEL_STAMP = /^\s*(?:<\d+>|[a-z0-9]+\s*:\s*[a-z]+\s*:\s*)?\[\s*\d+\.\d+/;
/** journalctl's own lines: `-- Logs begin at … --`, `-- Boot 3f2a… --`. */
const JOURNAL_NOTE = /^-- .* --$/;
const JOURNAL = /^(?:[A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2}(?:\.\d+)?|\d{4}-\d{2}-\d{2}T\S+) \S+ kernel:/;

export function detectFormat(text: string, source: string): SourceKind {
  const lines = text.split(/\r\n|\n|\r/).map((l) => l.replace(/^\uFEFF/, ''));
  const content = lines.filter((l) => l.trim() !== '' && !/^\s*#/.test(l)).slice(0, 200);
  const comments = lines.filter((l) => /^\s*#/.test(l));
  if (comments.some((l) => /^\s*#\s*CPU,/i.test(l)) || comments.some((l) => /parsable format/i.test(l))) return 'lscpu';
  if (content.length === 0) throw invalidLine(source, 1, 'empty file: nothing to import');
  const share = (re: RegExp): number => content.filter((l) => re.test(l)).length / content.length;
  // A prefix before /sys is a host's sysfs seen from elsewhere (/host/sys in a container).
  if (share(/^(?:\/\S*)?\/sys\/devices\/system\//) > 0) {
    if (content.some((l) => /^(?:\/\S*)?\/sys\/devices\/system\/(?:node\/node\d+|memory\/block_size_bytes)/.test(l.trim()))) return 'sysnode';
  }
  // A majority decides, so one garbled line still gets the format's own FILE:LINE error.
  if (IOMEM_LINE.test(content[0]) && share(IOMEM_LINE) >= 0.5) return 'iomem';
  if (/^\d+(?:,[^,]*)+$/.test(content[0].trim()) && share(/^\d+(?:,[^,]*)+$/) >= 0.5) return 'lscpu';
  // Colour codes and quote marks (a log pasted into mail or an issue) are not part of the format.
  const kernel = content.map(cleanLine);
  if (kernel.some((l) => KERNEL_STAMP.test(l) || JOURNAL.test(l) || KERNEL_MESSAGE.test(l)) || kernel.every((l) => JOURNAL_NOTE.test(l.trim()))) return 'dmesg';
  const firstLine = lines.findIndex((l) => l.trim() !== '' && !/^\s*#/.test(l)) + 1;
  throw invalidLine(source, firstLine, 'unrecognized content: expected dmesg/journal output, /proc/iomem, lscpu -p, or a /sys/devices/system/node listing');
}
