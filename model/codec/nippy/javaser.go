package nippy

import (
	"encoding/binary"
	"errors"
	"strings"
	"unicode/utf16"
)

// javaStream walks one object of a Java serialization stream (the Object
// Serialization Stream Protocol, version 5), as ObjectInputStream.readObject
// would, without building anything: it finds where the object ends (Nippy
// 2.x writes the stream with no length before it) and collects the string
// values in it (exception messages, stack frames) for Opaque.Text.
//
// It reads Serializable classes, including writeObject annotations, arrays,
// enums, proxies and back references; an Externalizable class written in the
// old protocol has no framing and is refused, as is anything malformed. The
// caller then falls back to taking the rest of the body.
type javaStream struct {
	b       []byte
	p       int
	handles []any // *javaClass, string or nil, by handle - baseHandle
	strs    []string
	depth   int
}

type javaClass struct {
	name   string
	flags  byte
	fields []javaField
	super  *javaClass
}

type javaField struct {
	code byte // B C D F I J S Z, or L and [ for objects
}

const (
	baseHandle     = 0x7E0000
	scWriteMethod  = 0x01
	scSerializable = 0x02
	scExternal     = 0x04
	scBlockData    = 0x08
)

var errJava = errors.New("not a Java serialization stream this reader follows")

// javaObjectEnd returns the length of the stream that starts b and holds one
// object, and the string values met in it.
func javaObjectEnd(b []byte) (int, []string, error) {
	s := javaStream{b: b}
	if len(b) < 4 || b[0] != 0xAC || b[1] != 0xED || b[2] != 0 || b[3] != 5 {
		return 0, nil, errJava
	}
	s.p = 4
	if err := s.object(true); err != nil {
		return 0, nil, err
	}
	return s.p, s.strs, nil
}

func (s *javaStream) need(n int) error {
	if n < 0 || n > len(s.b)-s.p {
		return errJava
	}
	return nil
}

func (s *javaStream) u8() (byte, error) {
	if err := s.need(1); err != nil {
		return 0, err
	}
	s.p++
	return s.b[s.p-1], nil
}

func (s *javaStream) u16() (int, error) {
	if err := s.need(2); err != nil {
		return 0, err
	}
	s.p += 2
	return int(binary.BigEndian.Uint16(s.b[s.p-2:])), nil
}

func (s *javaStream) u32() (int, error) {
	if err := s.need(4); err != nil {
		return 0, err
	}
	s.p += 4
	return int(int32(binary.BigEndian.Uint32(s.b[s.p-4:]))), nil
}

func (s *javaStream) skip(n int) error {
	if err := s.need(n); err != nil {
		return err
	}
	s.p += n
	return nil
}

// utf reads a writeUTF string (u16 length) or, long, a u64 length one.
func (s *javaStream) utf(long bool) (string, error) {
	n := 0
	if long {
		if err := s.need(8); err != nil {
			return "", err
		}
		v := binary.BigEndian.Uint64(s.b[s.p:])
		s.p += 8
		if v > uint64(len(s.b)) {
			return "", errJava
		}
		n = int(v)
	} else {
		var err error
		if n, err = s.u16(); err != nil {
			return "", err
		}
	}
	if err := s.need(n); err != nil {
		return "", err
	}
	raw := s.b[s.p : s.p+n]
	s.p += n
	return modifiedUTF8(raw), nil
}

// modifiedUTF8 decodes Java's modified UTF-8 leniently (bad bytes become
// U+FFFD); these strings are only shown.
func modifiedUTF8(b []byte) string {
	units := make([]uint16, 0, len(b))
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c < 0x80:
			units = append(units, uint16(c))
			i++
		case c&0xE0 == 0xC0 && i+1 < len(b):
			units = append(units, uint16(c&0x1F)<<6|uint16(b[i+1]&0x3F))
			i += 2
		case c&0xF0 == 0xE0 && i+2 < len(b):
			units = append(units, uint16(c&0x0F)<<12|uint16(b[i+1]&0x3F)<<6|uint16(b[i+2]&0x3F))
			i += 3
		default:
			units = append(units, 0xFFFD)
			i++
		}
	}
	return string(utf16.Decode(units))
}

func (s *javaStream) newHandle(v any) { s.handles = append(s.handles, v) }

func (s *javaStream) ref() (any, error) {
	h, err := s.u32()
	if err != nil {
		return nil, err
	}
	if h -= baseHandle; h < 0 || h >= len(s.handles) {
		return nil, errJava
	}
	return s.handles[h], nil
}

// object reads one object; value says whether a string here is data (rather
// than a field's type name) and belongs in Text.
func (s *javaStream) object(value bool) error {
	s.depth++
	defer func() { s.depth-- }()
	if s.depth > maxDepth {
		return errJava
	}
	tc, err := s.u8()
	if err != nil {
		return err
	}
	switch tc {
	case 0x70: // TC_NULL
		return nil
	case 0x71: // TC_REFERENCE
		_, err := s.ref()
		return err
	case 0x74, 0x7C: // TC_STRING, TC_LONGSTRING
		str, err := s.utf(tc == 0x7C)
		s.newHandle(str)
		if err == nil && value && str != "" {
			s.strs = append(s.strs, str)
		}
		return err
	case 0x72, 0x7D: // TC_CLASSDESC, TC_PROXYCLASSDESC
		s.p--
		_, err := s.classDesc()
		return err
	case 0x76: // TC_CLASS
		if _, err := s.classDesc(); err != nil {
			return err
		}
		s.newHandle(nil)
		return nil
	case 0x7E: // TC_ENUM
		if _, err := s.classDesc(); err != nil {
			return err
		}
		s.newHandle(nil)
		return s.object(value)
	case 0x75: // TC_ARRAY
		return s.array()
	case 0x73: // TC_OBJECT
		return s.newObject()
	case 0x79: // TC_RESET
		s.handles = s.handles[:0]
		return s.object(value)
	}
	return errJava
}

// classDesc reads a class descriptor, a null or a reference to one.
func (s *javaStream) classDesc() (*javaClass, error) {
	tc, err := s.u8()
	if err != nil {
		return nil, err
	}
	switch tc {
	case 0x70:
		return nil, nil
	case 0x71:
		v, err := s.ref()
		if err != nil {
			return nil, err
		}
		c, ok := v.(*javaClass)
		if !ok {
			return nil, errJava
		}
		return c, nil
	case 0x7D: // proxy: interface names, annotation, super
		c := &javaClass{flags: scSerializable}
		s.newHandle(c)
		n, err := s.u32()
		if err != nil || n < 0 || n > len(s.b)-s.p {
			return nil, errJava
		}
		for range n {
			if _, err := s.utf(false); err != nil {
				return nil, err
			}
		}
		return c, s.annotationAndSuper(c)
	case 0x72:
	default:
		return nil, errJava
	}
	c := &javaClass{}
	if c.name, err = s.utf(false); err != nil {
		return nil, err
	}
	if err := s.skip(8); err != nil { // serialVersionUID
		return nil, err
	}
	s.newHandle(c)
	if c.flags, err = s.u8(); err != nil {
		return nil, err
	}
	n, err := s.u16()
	if err != nil || n > len(s.b)-s.p {
		return nil, errJava
	}
	c.fields = make([]javaField, n)
	for i := range c.fields {
		code, err := s.u8()
		if err != nil {
			return nil, err
		}
		c.fields[i].code = code
		if _, err := s.utf(false); err != nil { // field name
			return nil, err
		}
		if code == 'L' || code == '[' {
			if err := s.object(false); err != nil { // type name
				return nil, err
			}
		}
	}
	return c, s.annotationAndSuper(c)
}

func (s *javaStream) annotationAndSuper(c *javaClass) error {
	if err := s.annotation(); err != nil {
		return err
	}
	super, err := s.classDesc()
	c.super = super
	return err
}

// annotation reads block data and objects up to TC_ENDBLOCKDATA.
func (s *javaStream) annotation() error {
	for {
		if err := s.need(1); err != nil {
			return err
		}
		switch s.b[s.p] {
		case 0x78: // TC_ENDBLOCKDATA
			s.p++
			return nil
		case 0x77: // TC_BLOCKDATA
			s.p++
			n, err := s.u8()
			if err != nil {
				return err
			}
			if err := s.skip(int(n)); err != nil {
				return err
			}
		case 0x7A: // TC_BLOCKDATALONG
			s.p++
			n, err := s.u32()
			if err != nil {
				return err
			}
			if err := s.skip(n); err != nil {
				return err
			}
		default:
			if err := s.object(true); err != nil {
				return err
			}
		}
	}
}

func (s *javaStream) newObject() error {
	c, err := s.classDesc()
	if err != nil || c == nil {
		return errJava
	}
	s.newHandle(nil)
	var chain []*javaClass
	for k := c; k != nil; k = k.super {
		if len(chain) > maxDepth {
			return errJava
		}
		chain = append(chain, k)
	}
	for i := len(chain) - 1; i >= 0; i-- { // superclass data first
		k := chain[i]
		switch {
		case k.flags&scExternal != 0:
			if k.flags&scBlockData == 0 {
				return errJava // protocol 1 externalizable: no framing
			}
			if err := s.annotation(); err != nil {
				return err
			}
		case k.flags&scSerializable != 0:
			if err := s.fieldValues(k.fields); err != nil {
				return err
			}
			if k.flags&scWriteMethod != 0 {
				if err := s.annotation(); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (s *javaStream) fieldValues(fs []javaField) error {
	for _, f := range fs {
		if w := primitiveSize(f.code); w > 0 {
			if err := s.skip(w); err != nil {
				return err
			}
			continue
		}
		if f.code != 'L' && f.code != '[' {
			return errJava
		}
		if err := s.object(true); err != nil {
			return err
		}
	}
	return nil
}

func (s *javaStream) array() error {
	c, err := s.classDesc()
	if err != nil || c == nil || len(c.name) < 2 || c.name[0] != '[' {
		return errJava
	}
	s.newHandle(nil)
	n, err := s.u32()
	if err != nil || n < 0 {
		return errJava
	}
	if w := primitiveSize(c.name[1]); w > 0 {
		if n > (len(s.b)-s.p)/w {
			return errJava
		}
		return s.skip(n * w)
	}
	if n > len(s.b)-s.p {
		return errJava
	}
	for range n {
		if err := s.object(true); err != nil {
			return err
		}
	}
	return nil
}

func primitiveSize(code byte) int {
	switch code {
	case 'B', 'Z':
		return 1
	case 'C', 'S':
		return 2
	case 'I', 'F':
		return 4
	case 'J', 'D':
		return 8
	}
	return 0
}

// javaText is the Text of a Java-serialized object: the string values of
// the stream in order, or, when the stream cannot be followed, every run of
// at least four printable ASCII characters.
func javaText(raw []byte) string {
	if _, strs, err := javaObjectEnd(raw); err == nil {
		return strings.Join(strs, " | ")
	}
	return printableRuns(raw)
}
