//go:build !race

package buffer

// raceBuild: see race_internal_test.go.
const raceBuild = false
