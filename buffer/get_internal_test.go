package buffer

import (
	"testing"

	"github.com/bytesio-go/bytesio/pool"
)

// nil and pool.Default name one chunk pool: a Pool of either keeps a
// buffer bound to the other, which Put once closed as a buffer of another
// chunk pool, and names the pool as it does, so that the next Put of that
// buffer can take the fast path.
func TestPutDefaultNamedOrNil(t *testing.T) {
	for _, tc := range []struct {
		name string
		pool *pool.Pool
		new  func() *Buffer
	}{
		{"NewPool(nil), NewWithPool(pool.Default)", nil, func() *Buffer { return NewWithPool(pool.Default) }},
		{"NewPool(pool.Default), New", pool.Default, New},
	} {
		bp := NewPool(tc.pool)
		b := tc.new()
		b.WriteString("x")
		bp.Put(b)
		if b.closed || !b.pooled || b.pool != tc.pool {
			t.Errorf("%s: after Put, closed %v, pooled %v, pool %p; want false, true, %p", tc.name, b.closed, b.pooled, b.pool, tc.pool)
		}
	}
	// A chunk pool of its own is another one.
	other, err := pool.New(pool.Config{})
	if err != nil {
		t.Fatal(err)
	}
	b := NewWithPool(other)
	b.WriteString("x")
	NewPool(pool.Default).Put(b)
	if !b.closed || b.pooled {
		t.Errorf("a buffer of another chunk pool, after Put: closed %v, pooled %v; want true, false", b.closed, b.pooled)
	}
}

// TestUnpinSecondEmptying: the buffer lets go of its view state at the
// second emptying that finds a view holding it, not the first, also for a
// state taken after it let go of one: the first view of a new state has the
// generation the old one's had, which a stale pinned matched.
func TestUnpinSecondEmptying(t *testing.T) {
	b := New()
	defer b.Close()
	b.WriteString("x")
	_ = b.GetValue() // dropped, never released
	b.Reset()
	if b.vs == nil {
		t.Fatal("the state was let go at the first emptying")
	}
	b.Reset()
	if b.vs != nil {
		t.Fatal("the state was kept at the second emptying")
	}
	b.WriteString("y")
	v := b.GetValue()
	s := b.vs
	b.Reset() // the first emptying with v held: the state stays
	if b.vs != s {
		t.Errorf("a new state was let go at its first emptying (pinned %d)", b.pinned)
	}
	v.Release()
}
