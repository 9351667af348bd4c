// Package fressian reads and writes Fressian, the format Onyx 0.5.0 – 0.5.3
// stored in ZooKeeper (onyx-log-format.md §2.2): data.fressian's write with its
// default Clojure handlers, followed by the zero padding of the writer's buffer.
//
// Decode reads exactly one value and reports how many bytes it used, so the
// padding is ignored; it knows every code of the Fressian spec (org.fressian
// 0.6.x), the priority and struct caches, and the tagged structs data.fressian
// writes ("char", "ratio", "record", …). Encode writes what data.fressian's
// write wrote, padding included; EncodeExact leaves the padding off.
//
// The package imports only model/value; it never logs and never panics on input.
package fressian
