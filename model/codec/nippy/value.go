package nippy

import (
	"onyx-dashboard/model/value"
)

// value reads one type id and its payload. Dispatch is one switch, ordered by
// how often each id occurs in Onyx's log entries.
func (d *decoder) value() (value.Value, error) {
	if d.p >= len(d.b) {
		return nil, d.fail(d.p, errTruncated, "truncated: want a type id, the input ends")
	}
	at := d.p
	id := int8(d.b[at])
	d.p++
	d.nodes++
	switch id {
	case idKwSm:
		// The common case inline: a short name already in the cache.
		if d.p < len(d.b) {
			if n := int(d.b[d.p]); n < 0x80 && n < len(d.b)-d.p {
				if k, ok := cachedKeyword(d.b[d.p+1 : d.p+1+n]); ok {
					d.p += 1 + n
					return k, nil
				}
			}
		}
		return d.keyword(1)
	case idUUID:
		if len(d.b)-d.p < 16 {
			return nil, d.short(16, "uuid")
		}
		u := internUUID(d.b[d.p : d.p+16])
		d.p += 16
		return u, nil
	case idMapSm:
		n, err := d.count(1, 2, "map")
		if err != nil {
			return nil, err
		}
		return d.mapOf(at, n, assocMap)
	case idLongSm:
		v, err := d.i8("long")
		return int64(v), err
	case idStrSm:
		return d.str(1)
	case idVec2, idVec3:
		n := 2 + int(id-idVec2)
		if _, err := d.checkCount(at, int64(n), 1, "vector"); err != nil {
			return nil, err
		}
		xs, err := d.elems(at, n)
		return value.Vector(xs), err
	case idVecSm:
		return d.vector(at, 1)
	case idSetSm:
		n, err := d.count(1, 1, "set")
		if err != nil {
			return nil, err
		}
		return d.set(at, n)
	case idNil:
		return nil, nil
	case idTrue:
		return true, nil
	case idFalse:
		return false, nil
	case idLong0:
		return int64(0), nil
	case idLongMd:
		v, err := d.i16("long")
		return boxLong(int64(v)), err
	case idLongLg:
		v, err := d.i32("long")
		return boxLong(v), err
	case idLongXl:
		return d.i64("long")
	case idDouble:
		return d.float64At("double")
	case idDouble0:
		return 0.0, nil
	case idVec0:
		return emptyVector, nil
	case idSet0:
		return emptySet, nil
	case idMap0:
		return emptyMap, nil
	case idStr0:
		return "", nil
	case idDate, idSQLDate:
		ms, err := d.i64("date")
		if err != nil {
			return nil, err
		}
		return value.InstMillis(ms), nil
	}
	return d.rare(at, id)
}

// rare reads the ids that Onyx's entries seldom or never hold.
func (d *decoder) rare(at int, id int8) (value.Value, error) {
	switch id {
	case idBoolean:
		v, err := d.u8("boolean")
		return v != 0, err
	case idChar:
		v, err := d.u16("char")
		return value.Char(v), err
	case idByte:
		v, err := d.i8("byte")
		return int64(v), err
	case idShort:
		v, err := d.i16("short")
		return int64(v), err
	case idInteger:
		return d.i32("integer")
	case idLongPosSm, idLongNegSm:
		// 3.3+: the byte/short/int holds n + MIN_VALUE of its type.
		v, err := d.i8("long")
		return signed(id == idLongNegSm, int64(v)+128), err
	case idLongPosMd, idLongNegMd:
		v, err := d.i16("long")
		return signed(id == idLongNegMd, int64(v)+32768), err
	case idLongPosLg, idLongNegLg:
		v, err := d.i32("long")
		return signed(id == idLongNegLg, v+2147483648), err
	case idFloat:
		v, err := d.i32("float")
		return float64(float32frombits(uint32(v))), err
	case idStrMd:
		return d.str(2)
	case idStrLg:
		return d.str(4)
	case idStrSmU:
		return d.strU()
	case idStrUTF:
		return d.readUTF("string")
	case idKwMd:
		return d.keyword(2)
	case idKwLg, idKwMdBug:
		return d.keyword(4)
	case idKwUTF:
		s, err := d.readUTF("keyword")
		if err != nil {
			return nil, err
		}
		return value.Kw(s.(string)), nil
	case idSymSm:
		return d.symbol(1)
	case idSymMd:
		return d.symbol(2)
	case idSymLg, idSymMdBug:
		return d.symbol(4)
	}
	return d.collection(at, id)
}

// collection reads the sized collection ids other than the common small ones.
func (d *decoder) collection(at int, id int8) (value.Value, error) {
	switch id {
	case idVecSmU:
		n, err := d.ucount(1, "vector")
		if err != nil || n == 0 {
			return emptyVector, err
		}
		xs, err := d.elems(at, n)
		return value.Vector(xs), err
	case idVecMd:
		return d.vector(at, 2)
	case idVecLg, idObjectsLg:
		return d.vector(at, 4)
	case idSetSmU, idSetMd, idSetLg, idSortSetLg:
		n, err := d.sizedCount(id, 1, "set")
		if err != nil {
			return nil, err
		}
		return d.set(at, n)
	case idMapSmU, idMapMd, idMapLg, idMapOld, idSortMapLg:
		n, err := d.sizedCount(id, 2, "map")
		if err != nil {
			return nil, err
		}
		kind := assocMap
		switch id {
		case idMapOld:
			kind = hashMap
		case idSortMapLg:
			kind = sortedMap
		}
		return d.mapOf(at, n, kind)
	case idMap2n, idSortMap2n:
		// The count is 2 × entries; Nippy reads (quot count 2) entries.
		n2, err := d.i32("map count")
		if err != nil {
			return nil, err
		}
		n, err := d.checkCount(at+1, n2/2, 2, "map")
		if err != nil {
			return nil, err
		}
		kind := assocMap
		if id == idSortMap2n {
			kind = sortedMap
		}
		return d.mapOf(at, n, kind)
	case idList0, idSeq0:
		return emptyList, nil
	case idListSm, idSeqSm:
		return d.list(at, 1)
	case idListMd, idSeqMd:
		return d.list(at, 2)
	case idListLg, idSeqLg, idQueueLg:
		return d.list(at, 4)
	case idMeta:
		// The metadata map, then the value it decorates; the metadata is
		// dropped (Clojure's = ignores it too).
		if err := d.enter(at); err != nil {
			return nil, err
		}
		if _, err := d.value(); err != nil {
			return nil, err
		}
		v, err := d.value()
		d.depth--
		return v, err
	}
	return d.special(at, id)
}

// sizedCount reads the count of the set and map ids whose size depends on id.
func (d *decoder) sizedCount(id int8, per int, what string) (int, error) {
	switch id {
	case idSetSmU, idMapSmU:
		return d.ucount(per, what)
	case idSetMd, idMapMd:
		return d.count(2, per, what)
	}
	return d.count(4, per, what)
}

func signed(neg bool, v int64) int64 {
	if neg {
		return -v
	}
	return v
}
