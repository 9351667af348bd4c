// Package nippy reads and writes the Nippy frames Onyx 0.6.0 – 0.14.6 stored in
// ZooKeeper: the "NPY" header, its meta byte (0 = plain, 8 = LZ4) and one frozen
// value (onyx-log-format.md §2.3 and its Corrections 1–2).
//
// Decode accepts the union of the type ids written by Nippy 2.9 through 3.x,
// whichever Nippy wrote the bytes. Encode writes as Nippy 2.14 does (Onyx
// 0.13 – 0.14.6), optionally compressing with LZ4 above a threshold.
//
// Nothing here panics on any input, and no allocation is sized by a count
// that the remaining input could not hold. Every error is an *Error carrying
// the byte offset; model/codec turns it into a *codec.DecodeError.
//
// The package imports model/value and model/codec/edn (for Nippy's EDN
// "reader" fallback) and nothing that does I/O.
package nippy
