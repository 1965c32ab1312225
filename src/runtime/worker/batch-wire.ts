/**
 * A RecordBatch as one ArrayBuffer for a data port, and back (DESIGN.md §2 "Batches"): a columnar batch in the
 * columnar layout (columnar-layout.ts), anything else in the msgpackr record encoding (record-encoding.ts). The two
 * are told apart by their magic number, the first little-endian u32 of either layout.
 */
import { COLUMNAR_MAGIC, decodeColumnar, encodeColumnar } from '../../batch/columnar-layout.ts';
import { RecordBatch } from '../../batch/record-batch.ts';
import { decodeRecordBatch, encodeRecordBatch, RECORDS_MAGIC } from '../../batch/record-encoding.ts';

/** A fresh buffer the caller may transfer. */
export function batchToWire(batch: RecordBatch): ArrayBuffer {
  return batch.columnar !== undefined ? encodeColumnar(batch.columnar) : encodeRecordBatch(batch);
}

export function batchFromWire(buffer: ArrayBuffer): RecordBatch {
  const magic = buffer.byteLength >= 4 ? new DataView(buffer).getUint32(0, true) : 0;
  if (magic === COLUMNAR_MAGIC) return RecordBatch.fromColumnar(decodeColumnar(buffer));
  if (magic === RECORDS_MAGIC) return decodeRecordBatch(buffer);
  throw new Error(`data port: a batch with unknown magic 0x${magic.toString(16)}`);
}
