"""Support files of the EECS 498 course: copied beside a worker's scratch for submissions to import."""
