# Sends SIGSTOP to rnncheck, then to rnncheck's whole process group: refused, so rnncheck
# does not freeze and a batch grader does not hang.
# needs: signals
# expect-error: word_embedding_forward
# expect-skipped: word_embedding_backward
# message: word_embedding_forward: blocked by the sandbox: sending SIGSTOP to process -?\d+, outside the sandbox
import os
import signal


def word_embedding_forward(x, W):
    refused = []
    for target in (os.getppid(), -os.getpgid(os.getppid())):
        try:
            os.kill(target, signal.SIGSTOP)
        except PermissionError as error:
            refused.append(error)
    raise refused[0]
