#include "ringcheck/oracle/lincheck.hpp"

int main(int argc, char** argv) { return ringcheck::oracle::lincheck_main(argc, argv); }
