/* a/internal.h - fixture: a private header of a */
