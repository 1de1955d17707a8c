# expect: zero
import socket

for host, port in (("127.0.0.1", {port}), ("8.8.8.8", 53)):
    s = socket.socket()
    s.settimeout(3)
    try:
        s.connect((host, port))
        print("LEAK: connected to", host, port)
    except OSError:
        pass
    finally:
        s.close()


def journey_summary(df):
    return {}
