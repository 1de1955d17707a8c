# expect: full
# answers: solution
# answer cell: honest_solution
# %%
big = bytearray(4 * 1024**3)
big[::4096] = b"x" * len(big[::4096])
