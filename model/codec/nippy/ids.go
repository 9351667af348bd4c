package nippy

// Type ids: the union of what Nippy 2.9 through 3.x write or still read
// (onyx-log-format.md §2.3 with Corrections 1–2; Nippy's types-spec). The
// comment names the writers; "read only" ids are ones no Onyx-era Nippy wrote
// but every Nippy still thaws.
const (
	idReaderUTF  = 1  // EDN text, writeUTF (read only)
	idBytesLg    = 2  // byte[] with int length
	idNil        = 3  //
	idLong0      = 0  // 2.12+
	idBoolean    = 4  // 1 byte; Nippy ≤ 2.11
	idReaderLg2  = 5  // EDN text, int length; Nippy ≤ 2.11
	idSerialLg   = 6  // Java serialization, class name with int length; ≤ 2.14
	idBytesSm    = 7  //
	idTrue       = 8  // 2.12+
	idFalse      = 9  // 2.12+
	idChar       = 10 // u16
	idStrUTF     = 11 // writeUTF (read only)
	idKwUTF      = 12 // writeUTF (read only)
	idStrLg      = 13 // int length
	idKwLg       = 14 // int length; 2.x for keywords > 127 bytes
	idBytesMd    = 15 //
	idStrMd      = 16 // short length; 2.12+
	idVec0       = 17 // 2.12+
	idSet0       = 18 // 2.12+
	idMap0       = 19 // 2.12+
	idListLg     = 20 //
	idVecLg      = 21 //
	idMapOld     = 22 // int entry count, built with hash-map (read only)
	idSetLg      = 23 //
	idSeqLg      = 24 //
	idMeta       = 25 // metadata map, then the value
	idQueueLg    = 26 //
	idMap2n      = 27 // int count = 2 × entries; Nippy ≤ 2.10
	idSortSetLg  = 28 //
	idSortMap2n  = 29 // int count = 2 × entries (read only)
	idMapLg      = 30 // int entry count; 2.11+
	idSortMapLg  = 31 // int entry count; 2.11+
	idSetMd      = 32 //
	idMapMd      = 33 //
	idStr0       = 34 // the interned ""; 2.12+
	idList0      = 35 //
	idListSm     = 36 //
	idSeq0       = 37 //
	idSeqSm      = 38 //
	idSeqMd      = 39 //
	idByte       = 40 // java.lang.Byte
	idShort      = 41 // java.lang.Short
	idInteger    = 42 // java.lang.Integer
	idLongXl     = 43 // 8 bytes
	idBigInt     = 44 // clojure.lang.BigInt
	idBigInteger = 45 // java.math.BigInteger
	idSerialSm   = 46 // Java serialization, unquarantined; ≤ 2.14
	idReaderSm   = 47 //
	idRecordSm   = 48 //
	idRecordMd   = 49 //
	idSerialMd   = 50 // Java serialization, unquarantined; ≤ 2.14
	idReaderMd   = 51 //
	idReaderLg   = 52 //
	idBytes0     = 53 //
	idListMd     = 54 //
	idDouble0    = 55 // 0.0 and -0.0; 2.12+
	idSymSm      = 56 //
	idSymLg      = 57 // int length; 2.12 – 2.14 for symbols > 127 bytes
	idRegex      = 58 // a string value follows
	idCached0    = 59 // cache references 59, 63–68, 72–74 (nippy/cache only)
	idFloat      = 60 //
	idDouble     = 61 //
	idBigDec     = 62 //
	idCached1    = 63 //
	idCached2    = 64 //
	idCached3    = 65 //
	idCached4    = 66 //
	idCachedSm   = 67 //
	idCachedMd   = 68 //
	idVecMd      = 69 //
	idRatio      = 70 //
	idURI        = 71 // a string value follows
	idCached5    = 72 //
	idCached6    = 73 //
	idCached7    = 74 //
	idSerialQSm  = 75 // Java serialization, quarantined in a byte array; 2.15+
	idSerialQMd  = 76 //
	idKwMdBug    = 77 // 3.0 keyword md written with an int length (read only)
	idSymMdBug   = 78 // 3.0 symbol md written with an int length (read only)
	idInstant    = 79 // java.time.Instant: long seconds, int nanos
	idRecordLg   = 80 //
	idType       = 81 // deftype: class name value, then its fields
	idCustomMd   = 82 // i16 type hash, then the custom payload
	idDuration   = 83 // java.time.Duration
	idPeriod     = 84 // java.time.Period
	idKwMd       = 85 // short length; 3.x
	idSymMd      = 86 // short length; 3.x
	idLongPosSm  = 87 // 3.3+: unsigned offsets from Byte/Short/Int MIN_VALUE
	idLongPosMd  = 88 //
	idLongPosLg  = 89 //
	idDate       = 90 // java.util.Date: long millis
	idUUID       = 91 // two longs, most significant first
	idSQLDate    = 92 //
	idLongNegSm  = 93 //
	idLongNegMd  = 94 //
	idLongNegLg  = 95 //
	idStrSmU     = 96 // 3.3+: unsigned byte counts 96–99
	idVecSmU     = 97 //
	idSetSmU     = 98 //
	idMapSmU     = 99 //
	idLongSm     = 100
	idLongMd     = 101
	idLongLg     = 102
	idStrSm      = 105 // signed byte length
	idKwSm       = 106
	idVecSm      = 110 // 2.11+
	idSetSm      = 111 // 2.11+
	idMapSm      = 112 // 2.11+
	idVec2       = 113 // 2.12+: exactly two elements, no count
	idVec3       = 114 // 2.12+: exactly three
	idObjectsLg  = 115 // Object[]
	idCustomMin  = -128
)

// Header meta bytes (Nippy's head-meta). Onyx wrote only metaPlain and metaLZ4.
const (
	metaPlain = 0
	metaLZ4   = 8
)

// metaNames describes the meta bytes this package does not read, for errors.
var metaNames = map[byte]string{
	1: "snappy", 2: "aes128-cbc encryption", 3: "snappy + aes128-cbc encryption",
	4: "custom encryption", 5: "custom compression", 6: "custom compression + encryption",
	7: "snappy + custom encryption", 9: "lz4 + aes128-cbc encryption", 10: "lz4 + custom encryption",
	11: "lzma2", 12: "lzma2 + aes128-cbc encryption", 13: "lzma2 + custom encryption",
	14: "aes128-gcm encryption", 15: "snappy + aes128-gcm encryption",
	16: "lz4 + aes128-gcm encryption", 17: "lzma2 + aes128-gcm encryption",
	18: "custom compression + aes128-cbc encryption", 19: "custom compression + aes128-gcm encryption",
}
