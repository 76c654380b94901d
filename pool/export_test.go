package pool

// Rearmed reports how many GC-epoch finalizers have armed the next sentinel
// (see rearmed).
func Rearmed() uint32 { return rearmed.Load() }
