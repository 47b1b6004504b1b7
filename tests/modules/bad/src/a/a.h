/*
 * a.h - fixture module a.
 *
 * Tables a owns: alpha.
 */
