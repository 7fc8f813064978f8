from .front.launch import entry

entry()
