"""Support files of the EECS 498 course: copied into a worker's scratch for submissions to import, never imported here."""
