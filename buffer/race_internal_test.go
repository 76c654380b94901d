//go:build race

package buffer

// raceBuild is true under the race detector, which keeps the chunks a test
// dropped on the heap for longer, so heap measurements count them.
const raceBuild = true
