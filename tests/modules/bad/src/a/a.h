/*
 * a.h - fixture module a.
 *
 * Tables a owns: alpha.
 */
int yw_a__hidden(void); /* a breach: an internal name in a public header */
