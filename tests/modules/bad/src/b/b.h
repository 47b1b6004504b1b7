/*
 * b.h - fixture module b.
 *
 * Tables b owns: beta (and nothing else).
 */
