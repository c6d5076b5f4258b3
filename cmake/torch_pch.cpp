// Compiled once to produce the precompiled torch header that other targets reuse.
