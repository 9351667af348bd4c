package zk

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"onyx-dashboard/zklog/zktest"
	"strings"
	"sync"
	"testing"
	"time"
)

// tlsProxy terminates TLS with a self-signed certificate for 127.0.0.1 and
// forwards the plain bytes to target, standing in for a ZooKeeper with a
// secure client port.
func tlsProxy(tb testing.TB, target string) (addr string, roots *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "zk-test"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	roots = x509.NewCertPool()
	roots.AddCert(cert)
	l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}},
	})
	if err != nil {
		tb.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			mu.Lock()
			conns = append(conns, c, s)
			mu.Unlock()
			wg.Go(func() { _, _ = io.Copy(s, c); s.Close() })
			wg.Go(func() { _, _ = io.Copy(c, s); c.Close() })
		}
	})
	tb.Cleanup(func() {
		l.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return l.Addr().String(), roots
}

func TestIntegration_ReadsOverTLS(t *testing.T) {
	s := newSandbox(t, zktest.Addr(t))
	s.writeEra("t", eras[3], 1)
	server, _, _ := strings.Cut(s.server, "/")
	addr, roots := tlsProxy(t, server)

	c := dial(t, addr+s.chroot, Options{TLS: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}})
	ts, err := c.Tenancies(context.Background())
	if err != nil || len(ts) != 1 || ts[0].Count != 3 {
		t.Fatalf("tenancies over TLS: %+v %v", ts, err)
	}

	// A certificate the client does not trust: no session, and the error says why.
	_, err = Dial(context.Background(), addr+s.chroot, Options{SessionTimeout: time.Second, TLS: &tls.Config{MinVersion: tls.VersionTLS12}})
	if !errors.Is(err, ErrNoSession) || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("untrusted certificate: %v, want ErrNoSession mentioning the certificate", err)
	}
}
