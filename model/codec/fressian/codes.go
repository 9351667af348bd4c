package fressian

// Byte codes of the Fressian spec (org.fressian.impl.Codes). Ranges are
// half-open: a packed range covers [start, start+8) and so on.
const (
	codePriorityCachePacked = 0x80 // 0x80–0x9F: priority cache index 0–31
	codeStructCachePacked   = 0xA0 // 0xA0–0xAF: struct cache index 0–15
	codeLongArray           = 0xB0
	codeDoubleArray         = 0xB1
	codeBooleanArray        = 0xB2
	codeIntArray            = 0xB3
	codeFloatArray          = 0xB4
	codeObjectArray         = 0xB5
	codeMap                 = 0xC0
	codeSet                 = 0xC1
	codeUUID                = 0xC3
	codeRegex               = 0xC4
	codeURI                 = 0xC5
	codeBigInt              = 0xC6
	codeBigDec              = 0xC7
	codeInst                = 0xC8
	codeSym                 = 0xC9
	codeKey                 = 0xCA
	codeGetPriorityCache    = 0xCC
	codePutPriorityCache    = 0xCD
	codePrecache            = 0xCE
	codeFooter              = 0xCF
	codeBytesPacked         = 0xD0 // 0xD0–0xD7: byte length 0–7
	codeBytesChunk          = 0xD8
	codeBytes               = 0xD9
	codeStringPacked        = 0xDA // 0xDA–0xE1: UTF-8 byte length 0–7
	codeStringChunk         = 0xE2
	codeString              = 0xE3
	codeListPacked          = 0xE4 // 0xE4–0xEB: 0–7 elements
	codeList                = 0xEC
	codeBeginClosedList     = 0xED
	codeBeginOpenList       = 0xEE
	codeStructType          = 0xEF
	codeStruct              = 0xF0
	codeMeta                = 0xF1
	codeAny                 = 0xF4
	codeTrue                = 0xF5
	codeFalse               = 0xF6
	codeNull                = 0xF7
	codeInt                 = 0xF8
	codeFloat               = 0xF9
	codeDouble              = 0xFA
	codeDouble0             = 0xFB
	codeDouble1             = 0xFC
	codeEndCollection       = 0xFD
	codeResetCaches         = 0xFE

	footerMagic = 0xCFCFCFCF

	priorityCachePackedLen = 32
	structCachePackedLen   = 16
	packedLen              = 8     // strings, bytes and lists of fewer items use a packed code
	byteChunkSize          = 65535 // Ranges.BYTE_CHUNK_SIZE
	stringBufferSize       = 65536 // FressianWriter's largest string buffer
)
