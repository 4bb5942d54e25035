#!/usr/bin/env python
from partrack.__main__ import main

if __name__ == "__main__":
    main()
