"""Support of the eecs498 course: stand-ins for the helper modules its files import.
