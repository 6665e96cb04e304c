from sanshi.cli import main

main()
